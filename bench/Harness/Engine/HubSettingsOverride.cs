using System.Globalization;
using System.Reflection;
using DurableTask.AzureStorage;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// <c>BENCH_HUB_SETTINGS="Name=value;..."</c>: changes <see cref="AzureStorageOrchestrationServiceSettings"/> after
/// <c>AzureStorageTaskHub.Create</c> chose them (numbers, booleans, time spans), to try other settings without a build.
/// </summary>
internal static class HubSettingsOverride
{
    public static string? Text => Environment.GetEnvironmentVariable("BENCH_HUB_SETTINGS");

    public static void Apply(AzureStorageOrchestrationServiceSettings settings)
    {
        foreach (var pair in (Text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var property = typeof(AzureStorageOrchestrationServiceSettings).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentException($"BENCH_HUB_SETTINGS: no setting '{name}'");
            property.SetValue(settings, property.PropertyType == typeof(TimeSpan)
                ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
                : Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
        }
    }
}
