using Azure.Core;
using Azure.Core.Pipeline;
using DurablePipelines.Storage.Durable;

namespace DurablePipelines.Storage.Tests.Durable;

public sealed class RequestGaugeTests
{
    [Fact]
    public async Task Count_RequestsBegunAndNotFinished_FailedOnesLeaveItToo()
    {
        var gauge = new RequestGauge();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new Options { Transport = new GatedTransport(gate.Task) };
        options.Retry.MaxRetries = 0;
        options.AddPolicy(gauge, HttpPipelinePosition.PerCall);
        var pipeline = HttpPipelineBuilder.Build(options);

        var sends = Enumerable.Range(0, 3).Select(_ => SendAsync(pipeline)).ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (gauge.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(3, gauge.Count);
        gate.SetResult();
        foreach (var send in sends)
        {
            await Assert.ThrowsAnyAsync<IOException>(() => send);
        }

        Assert.Equal(0, gauge.Count);
    }

    private static async Task SendAsync(HttpPipeline pipeline)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Uri.Reset(new Uri("http://127.0.0.1:9/gauge"));
        await pipeline.SendAsync(message, CancellationToken.None);
    }

    private sealed class Options : ClientOptions;

    /// <summary>Holds every request until the gate opens, then fails it as a lost connection would.</summary>
    private sealed class GatedTransport(Task gate) : HttpPipelineTransport
    {
        public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message)
        {
            await gate;
            throw new IOException("the connection was closed");
        }
    }
}
