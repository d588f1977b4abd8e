using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using Moq;

namespace DurablePipelines.Tests.Orchestration;

public sealed class OrchestrationSettingsTests
{
    [Fact]
    public void Validate_Defaults_NoProblem()
    {
        var settings = new OrchestrationSettings();

        Assert.Equal((500, 16 * 1024), (settings.ChunkSize, settings.InlinePayloadLimit));
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void Validate_AtTheirLimits_NoProblem()
    {
        Assert.Empty(new OrchestrationSettings { ChunkSize = 1, InlinePayloadLimit = 256 }.Validate());
    }

    [Fact]
    public void Validate_EveryBadSetting_ReportedAtOnceUnderThePrefix()
    {
        var problems = new OrchestrationSettings { ChunkSize = 0, InlinePayloadLimit = 255 }.Validate("Pipelines:");

        Assert.Equal(["Pipelines:ChunkSize must be at least 1", "Pipelines:InlinePayloadLimit must be at least 256 bytes"], problems);
    }

    [Fact]
    public async Task RunPipelineAsync_InputWithBadSettings_RefusedBeforeAnyCall()
    {
        var context = new Mock<IOrchestrationContext>(MockBehavior.Strict);
        var input = new RunPipelineInput
        {
            RunId = "r1",
            Definition = new PipelineBuilder("p").Task("a", "echo").Build(),
            Settings = new OrchestrationSettings { ChunkSize = -1, InlinePayloadLimit = 0 },
        };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => PipelineOrchestration.RunPipelineAsync(context.Object, input));

        Assert.Equal("invalid orchestration settings: ChunkSize must be at least 1; InlinePayloadLimit must be at least 256 bytes (Parameter 'input')", ex.Message);
        context.VerifyNoOtherCalls();
    }
}
