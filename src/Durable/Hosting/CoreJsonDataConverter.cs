using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;
using DataConverter = Microsoft.DurableTask.DataConverter;

namespace DurablePipelines.Durable.Hosting;

/// <summary>
/// DurableTask.Core's data converter (what <c>TaskHubClient</c> serializes inputs and events with) over the same
/// System.Text.Json converter the functions use, so the client writes exactly what the orchestrators read.
/// </summary>
internal sealed class CoreJsonDataConverter(DataConverter converter) : CoreDataConverter
{
    public override string? Serialize(object value) => converter.Serialize(value);

    public override string? Serialize(object value, bool formatted) => converter.Serialize(value);

    public override object? Deserialize(string data, Type objectType) => converter.Deserialize(data, objectType);
}
