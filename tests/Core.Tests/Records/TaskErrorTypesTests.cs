using System.Reflection;
using DurablePipelines.Records;
using DurablePipelines.TestSupport;

namespace DurablePipelines.Tests.Records;

public sealed class TaskErrorTypesTests
{
    [Fact]
    public void TaskErrorTypes_EveryType_IsTheOneStoredRecordsAndDocsAlreadyName()
    {
        var types = typeof(TaskErrorTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(["DurablePipelines.Cancelled", "DurablePipelines.IteratorFailed", "DurablePipelines.ResumeFailed"], types);
    }

    [Fact]
    public void TaskErrorTypes_EveryType_IsDocumentedWithTaskError()
    {
        var api = File.ReadAllText(RepositoryFolder.Combine("docs/api.md"));
        var section = api[api.IndexOf("### TaskError", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("###", 3, StringComparison.Ordinal)];

        foreach (var field in typeof(TaskErrorTypes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            Assert.Contains($"`{field.GetRawConstantValue()}`", section, StringComparison.Ordinal);
        }
    }
}
