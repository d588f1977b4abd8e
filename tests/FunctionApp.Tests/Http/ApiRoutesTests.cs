using DurablePipelines.FunctionApp.Http;

namespace DurablePipelines.FunctionApp.Tests.Http;

public class ApiRoutesTests
{
    [Theory]
    [InlineData("https://app.example.test/api/pipelines/orders/runs?x=1", "https://app.example.test/")]
    [InlineData("http://localhost:7071/api/dashboard", "http://localhost:7071/")]
    public void BaseUri_IsTheRootOfTheRequestHost(string requestUrl, string expected)
    {
        Assert.Equal(new Uri(expected), ApiRoutes.BaseUri(new Uri(requestUrl)));
    }
}
