using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace DurablePipelines.Storage.Hosting;

/// <summary>Where and how the Azure Storage adapters work; the defaults suit Azurite and Azure alike.</summary>
/// <remarks>
/// Storage calls retry in one of two ways (<see cref="Blobs.StorageUse"/>), chosen by who waits for them:
/// <list type="bullet">
/// <item><description>
/// Background work (a run's record and log written by its orchestration, payloads, events, the queue listener,
/// scheduling runs a stopped host had claimed) retries patiently: exponential backoff from 0.8 s, capped at a minute, 5 retries (about 25 s
/// plus jitter), each request allowed 100 s. A storage outage shorter than that delays a run, never fails it.
/// </description></item>
/// <item><description>
/// The HTTP API's reads and starts (<c>GET /api/runs...</c>, <c>POST .../runs</c>, cancel) retry
/// <see cref="InteractiveRetries"/> times after 0.1 s and 0.2 s, and every call to the run store gives up after
/// <see cref="InteractiveTimeout"/>: the caller gets a 503 problem with <c>Retry-After</c> at once instead of
/// waiting out the background budget and then a 500.
/// </description></item>
/// </list>
/// </remarks>
public sealed partial class StorageOptions
{
    /// <summary>The configuration section for everything but the connection string (<c>AzureWebJobsStorage</c>).</summary>
    public const string Section = "Pipelines:Storage";

    /// <summary>Azurite's well-known connection string.</summary>
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    /// <summary>The <see cref="Credential"/> that selects the app's managed identity, as the Functions host spells it.</summary>
    public const string ManagedIdentityCredential = "managedidentity";

    /// <summary>The configuration key of the storage account every host shares (the Functions host's own).</summary>
    public const string AccountSetting = "AzureWebJobsStorage";

    /// <summary>
    /// The storage account: <c>Pipelines:Storage:ConnectionString</c>, else <c>AzureWebJobsStorage</c>. Empty when
    /// the account is reached by identity (<see cref="BlobServiceUri"/>).
    /// </summary>
    public string ConnectionString { get; set; } = DevelopmentConnectionString;

    /// <summary>
    /// The blob endpoint of an account reached with an Entra ID token instead of a connection string, as the
    /// Functions host reads <c>AzureWebJobsStorage__accountName</c> or <c>AzureWebJobsStorage__blobServiceUri</c>.
    /// </summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The queue endpoint of an account reached by identity.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>
    /// <c>managedidentity</c> (the app's managed identity, <see cref="ClientId"/> naming a user-assigned one), or
    /// empty for the default credential chain (environment, workload identity, managed identity, Azure CLI, ...).
    /// </summary>
    public string? Credential { get; set; }

    /// <summary>Client id of the user-assigned managed identity, with <see cref="Credential"/> <c>managedidentity</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>True when the account is reached by identity rather than a connection string.</summary>
    public bool UsesIdentity => BlobServiceUri is not null || QueueServiceUri is not null;

    /// <summary>Run records and run logs.</summary>
    public string RunsContainer { get; set; } = "runs";

    /// <summary>Large payloads, and poison messages too large to quote in the poison queue.</summary>
    public string PayloadsContainer { get; set; } = "payloads";

    /// <summary>Queue of start messages.</summary>
    public string StartQueue { get; set; } = "pipeline-starts";

    /// <summary>Where start messages that cannot succeed go, with the reason.</summary>
    public string PoisonQueue { get; set; } = "pipeline-starts-poison";

    /// <summary>Queue of run events.</summary>
    public string EventQueue { get; set; } = "pipeline-events";

    /// <summary>How long a received start message stays hidden; a retried message reappears after it.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A start message still failing on this dequeue goes to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Start messages received at once (the service allows 1 to 32).</summary>
    public int ReceiveBatchSize { get; set; } = 32;

    /// <summary>Start messages of one batch handled at once.</summary>
    public int StartConcurrency { get; set; } = 8;

    /// <summary>Wait after an empty poll; it doubles while the queue stays empty.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest one run store call of the HTTP API may take, retries included (and the longest one request of it
    /// may take); past it, or on a failure that says storage is down or busy, the API answers 503 with
    /// <c>Retry-After</c>. Background work is not bound by it.
    /// </summary>
    public TimeSpan InteractiveTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of a failed request made for the HTTP API, within <see cref="InteractiveTimeout"/>.</summary>
    public int InteractiveRetries { get; set; } = 2;

    /// <summary>
    /// Write poison and event messages base64-encoded (what Azure Functions queue triggers expect by default)
    /// instead of as plain JSON text (what people read in a storage browser). Start messages are read either way.
    /// </summary>
    public bool Base64Messages { get; set; }

    /// <summary>
    /// Publish run events (<c>StateChanged</c>, <c>Finished</c>) to <see cref="EventQueue"/>. On by default; off, a run
    /// sends no event messages (on a chain of 30 tasks, 63 fewer queue writes before its orchestration ends) and the
    /// run log and record still have every change.
    /// </summary>
    public bool PublishEvents { get; set; } = true;

    /// <summary>
    /// Reads the <see cref="Section"/> over these options, and the account from <see cref="AccountSetting"/> unless
    /// the section names one itself, in the two forms the Functions host accepts: a connection string
    /// (<c>AzureWebJobsStorage</c>), or identity-based settings (<c>AzureWebJobsStorage__accountName</c> or
    /// <c>__blobServiceUri</c> and <c>__queueServiceUri</c>, with <c>__credential</c> and <c>__clientId</c>).
    /// Every host reads storage this way.
    /// </summary>
    public StorageOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        section.Bind(this);
        if (section[nameof(ConnectionString)] is not null || UsesIdentity)
        {
            return this;
        }

        var account = configuration.GetSection(AccountSetting);
        if (account.Value is { Length: > 0 } connectionString)
        {
            ConnectionString = connectionString;
        }
        else if (account["accountName"] is { Length: > 0 } || account["blobServiceUri"] is { Length: > 0 })
        {
            var name = account["accountName"];
            BlobServiceUri = ServiceUri(account["blobServiceUri"], name, "blob");
            QueueServiceUri = ServiceUri(account["queueServiceUri"], name, "queue");
            Credential = account["credential"];
            ClientId = account["clientId"];
            ConnectionString = string.Empty;
        }

        return this;

        static Uri? ServiceUri(string? explicitUri, string? accountName, string service) =>
            explicitUri is { Length: > 0 } ? new Uri(explicitUri)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.{service}.core.windows.net")
            : null;
    }

    /// <summary>Every problem with these options.</summary>
    public IEnumerable<string> Validate()
    {
        if (UsesIdentity)
        {
            if (BlobServiceUri is null || QueueServiceUri is null)
            {
                yield return "an account reached by identity needs both endpoints: AzureWebJobsStorage__accountName, or AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__queueServiceUri";
            }

            if (Credential is { Length: > 0 } credential && !credential.Equals(ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"AzureWebJobsStorage__credential '{credential}' is not supported: use '{ManagedIdentityCredential}' or leave it unset for the default credential chain";
            }
        }
        else if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "AzureWebJobsStorage must be a storage connection string, or identity-based settings (AzureWebJobsStorage__accountName)";
        }

        foreach (var (key, name) in new[] { (nameof(RunsContainer), RunsContainer), (nameof(PayloadsContainer), PayloadsContainer) })
        {
            if (name is null || !ResourceName().IsMatch(name))
            {
                yield return $"{Section}:{key} '{name}' is not a container name (3-63 lowercase letters, digits and single hyphens)";
            }
        }

        foreach (var (key, name) in new[] { (nameof(StartQueue), StartQueue), (nameof(PoisonQueue), PoisonQueue), (nameof(EventQueue), EventQueue) })
        {
            if (name is null || !ResourceName().IsMatch(name))
            {
                yield return $"{Section}:{key} '{name}' is not a queue name (3-63 lowercase letters, digits and single hyphens)";
            }
        }

        if (VisibilityTimeout < TimeSpan.FromSeconds(1) || VisibilityTimeout > TimeSpan.FromDays(7))
        {
            yield return $"{Section}:VisibilityTimeout must be between 00:00:01 and 7.00:00:00";
        }

        if (MaxDequeueCount < 1)
        {
            yield return $"{Section}:MaxDequeueCount must be at least 1";
        }

        if (ReceiveBatchSize is < 1 or > 32)
        {
            yield return $"{Section}:ReceiveBatchSize must be between 1 and 32";
        }

        if (StartConcurrency < 1)
        {
            yield return $"{Section}:StartConcurrency must be at least 1";
        }

        if (MinPollInterval <= TimeSpan.Zero || MaxPollInterval < MinPollInterval)
        {
            yield return $"{Section}:MinPollInterval must be positive and at most MaxPollInterval";
        }

        if (InteractiveTimeout < TimeSpan.FromMilliseconds(100) || InteractiveTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{Section}:InteractiveTimeout must be between 00:00:00.1 and 00:05:00";
        }

        if (InteractiveRetries is < 0 or > 10)
        {
            yield return $"{Section}:InteractiveRetries must be between 0 and 10";
        }
    }

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ResourceName();
}
