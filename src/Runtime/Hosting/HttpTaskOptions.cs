namespace DurablePipelines.Hosting;

/// <summary>The <c>Pipelines:Http</c> section: what the built-in <c>http</c> handler may call.</summary>
public sealed class HttpTaskOptions
{
    /// <summary>Hosts the handler may call (exact names, or <c>*.example.com</c>); empty allows none.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>
    /// Allows loopback, link-local (169.254.0.0/16) and private addresses. Off by default: a pipeline
    /// definition must not be able to reach the host's own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Time allowed to one request when the task sets no timeout.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Largest response body read, in bytes.</summary>
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;
}
