using DurablePipelines.FunctionApp.Http;
using DurablePipelines.FunctionApp.Tests.TestDoubles;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Moq;

namespace DurablePipelines.FunctionApp.Tests.Http;

public class ManagementLinksTests
{
    [Fact]
    public void From_UsesDurablesOwnPropertyNamesAndUrls()
    {
        var client = new Mock<DurableTaskClient>("test").Object;
        var request = WorkerObjects.Request("POST", "https://app.example.test/api/pipelines/orders/runs");

        var links = ManagementLinks.From(client.CreateHttpManagementPayload("r 1", request));

        Assert.Equal("r 1", links["id"]!.GetValue<string>());
        Assert.Equal("https://app.example.test/runtime/webhooks/durabletask/instances/r%201", links["statusQueryGetUri"]!.GetValue<string>());
        Assert.StartsWith("https://app.example.test/runtime/webhooks/durabletask/instances/r%201/terminate", links["terminatePostUri"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
