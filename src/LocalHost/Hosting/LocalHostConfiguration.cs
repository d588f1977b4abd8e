using Microsoft.Extensions.Configuration;

namespace DurablePipelines.LocalHost.Hosting;

/// <summary>
/// Standard .NET configuration for the local host, lowest precedence first: <c>appsettings.json</c> next to
/// the app (optional), environment variables (<c>Pipelines__Path</c> for <c>Pipelines:Path</c>), then
/// command-line options.
/// </summary>
internal static class LocalHostConfiguration
{
    /// <summary>The settings file read from the app's folder.</summary>
    public const string SettingsFile = "appsettings.json";

    /// <summary>Builds the configuration; <paramref name="commandLine"/> wins over everything else.</summary>
    public static IConfigurationRoot Build(IEnumerable<KeyValuePair<string, string?>> commandLine) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile(SettingsFile, optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(commandLine)
            .Build();
}
