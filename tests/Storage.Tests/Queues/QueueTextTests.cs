using System.Text;
using DurablePipelines.Storage.Queues;

namespace DurablePipelines.Storage.Tests.Queues;

public sealed class QueueTextTests
{
    [Theory]
    [InlineData("""{"pipeline":"orders"}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("\"text\"")]
    public void Decode_Base64OfJson_ReturnsTheJson(string json) =>
        Assert.Equal(json, QueueText.Decode(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))));

    [Theory]
    [InlineData("""{"pipeline":"orders"}""")]
    [InlineData("not json at all")]
    [InlineData("abcd")] // valid base64, but of bytes that are not UTF-8 JSON
    [InlineData("")]
    public void Decode_AnythingElse_ReturnsTheTextAsItIs(string text) =>
        Assert.Equal(text, QueueText.Decode(text));

    [Fact]
    public void Decode_Base64OfInvalidUtf8_ReturnsTheTextAsItIs()
    {
        var text = Convert.ToBase64String([0x22, 0xff, 0xfe, 0x22]);

        Assert.Equal(text, QueueText.Decode(text));
    }

    [Fact]
    public void Encode_OverTheLimit_ReturnsNull()
    {
        var fits = new byte[48 * 1024];
        var tooLargeForBase64 = new byte[(48 * 1024) + 1];

        Assert.NotNull(QueueText.Encode(fits, base64: true));
        Assert.Null(QueueText.Encode(tooLargeForBase64, base64: true));
        Assert.NotNull(QueueText.Encode(new byte[64 * 1024], base64: false));
        Assert.Null(QueueText.Encode(new byte[(64 * 1024) + 1], base64: false));
    }
}
