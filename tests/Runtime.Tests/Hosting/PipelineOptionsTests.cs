using DurablePipelines.Hosting;
using DurablePipelines.Records;

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
}
