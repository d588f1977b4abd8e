using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Tests.Hosting;

public sealed class PipelineOptionsTests
{
    [Theory]
    [InlineData(1023)]
    [InlineData(JsonLimits.MaxTextBytes + 1)]
    public void Validate_MaxRequestBytesOutsideWhatEveryStoreCanWrite_Refused(int bytes)
    {
        var problems = new PipelineOptions { MaxRequestBytes = bytes }.Validate();

        Assert.Equal(["Pipelines:MaxRequestBytes must be from 1024 to 104857600"], problems);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(JsonLimits.MaxTextBytes)]
    public void Validate_MaxRequestBytesAtItsBounds_Accepted(int bytes)
    {
        Assert.Empty(new PipelineOptions { MaxRequestBytes = bytes }.Validate());
    }

    [Fact]
    public void ToSettings_Defaults_AreTheOrchestrationDefaults()
    {
        Assert.Equal(new OrchestrationSettings(), new PipelineOptions().ToSettings());
        Assert.Empty(new PipelineOptions().Validate());
    }

    [Fact]
    public void Validate_NegativeHistoryRetention_Refused()
    {
        Assert.Equal(["Pipelines:HistoryRetention must not be negative"], new PipelineOptions { HistoryRetention = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Empty(new PipelineOptions { HistoryRetention = TimeSpan.Zero }.Validate());
    }

    [Fact]
    public void Validate_BadChunkSizeAndPayloadLimit_EveryProblemAtOnceUnderItsKey()
    {
        var problems = new PipelineOptions { ChunkSize = 0, InlinePayloadLimit = 100 }.Validate();

        Assert.Equal(["Pipelines:ChunkSize must be at least 1", "Pipelines:InlinePayloadLimit must be at least 256 bytes"], problems);
    }

    [Fact]
    public void AddDurablePipelines_BadSettings_HostStartRefusesWithEveryProblem()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddDurablePipelines(o => { o.Runner = " "; o.ChunkSize = 0; o.InlinePayloadLimit = 255; })
            .BuildServiceProvider();

        // What a host's StartAsync runs for the options registered with ValidateOnStart.
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            ["Pipelines:Runner must name a runner", "Pipelines:ChunkSize must be at least 1", "Pipelines:InlinePayloadLimit must be at least 256 bytes"],
            ex.Failures);
    }
}
