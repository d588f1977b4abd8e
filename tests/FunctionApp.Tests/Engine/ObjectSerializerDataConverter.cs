using Azure.Core.Serialization;
using DataConverter = Microsoft.DurableTask.DataConverter;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The Durable data converter the worker extension builds from the app's <c>WorkerOptions.Serializer</c>: what
/// the app configures is what history, inputs, outputs and custom status are written with.
/// </summary>
internal sealed class ObjectSerializerDataConverter(ObjectSerializer serializer) : DataConverter
{
    public override string? Serialize(object? value) =>
        value is null ? null : serializer.Serialize(value).ToString();

    public override object? Deserialize(string? data, Type targetType)
    {
        ArgumentNullException.ThrowIfNull(targetType);
        return data is null ? null : serializer.Deserialize(BinaryData.FromString(data).ToStream(), targetType, CancellationToken.None);
    }
}
