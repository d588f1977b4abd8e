using Microsoft.Azure.Functions.Worker;
using Moq;

namespace DurablePipelines.FunctionApp.Tests.TestDoubles;

/// <summary>Worker objects the functions under test need.</summary>
internal static class WorkerObjects
{
    public static FunctionContext Context() => new Mock<FunctionContext>().Object;

    public static TestHttpRequestData Request(string method, string url, string body = "") =>
        new(Context(), method, new Uri(url), body);
}
