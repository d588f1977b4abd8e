using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Handlers.BuiltIn;

/// <summary>
/// <c>http</c>: calls a URL whose host is on <c>Pipelines:Http:AllowedHosts</c>, JSON in and out. Config:
/// <c>url</c> (required), <c>method</c> (default GET, or POST when there is a body), <c>body</c> (sent as
/// JSON; POST/PUT/PATCH without one send the task input), <c>headers</c>. Loopback, link-local and private
/// addresses are refused, whatever the name resolves to and wherever a redirect points, unless
/// <c>AllowPrivateNetworks</c> is set. The output is the response's JSON, or <c>{ "text": … }</c> for other bodies.
/// </summary>
internal sealed class HttpTask(IHttpClientFactory clients, IOptions<PipelineOptions> options, TimeProvider time) : IPipelineTask
{
    public const string Name = "http";
    public const string ClientName = "DurablePipelines.Http";
    private const int MaxRedirects = 5;

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("url", "an absolute http or https URL", true, JsonValueKind.String)
        .Member("method", "one of GET, POST, PUT, PATCH, DELETE", false, JsonValueKind.String)
        .Member("body", "any JSON value", false, JsonValueKind.Object, JsonValueKind.Array, JsonValueKind.String, JsonValueKind.Number, JsonValueKind.True, JsonValueKind.False, JsonValueKind.Null)
        .Member("headers", "an object of header names to string values", false, JsonValueKind.Object);

    private static readonly string[] s_methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config)
    {
        foreach (var error in s_schema.Validate(config))
        {
            yield return error;
        }

        if (config?["url"] is JsonValue url && url.TryGetValue<string>(out var text)
            && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            yield return new ConfigError(".url", $"'{text}' is not an absolute http or https URL");
        }

        if (config?["method"] is JsonValue m && m.TryGetValue<string>(out var method) && !s_methods.Contains(method.ToUpperInvariant()))
        {
            yield return new ConfigError(".method", $"'{method}' is not one of {string.Join(", ", s_methods)}");
        }

        if (config?["headers"] is JsonObject headers)
        {
            foreach (var (name, value) in headers)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out _))
                {
                    yield return new ConfigError($".headers.{name}", $"header '{name}' must be a string");
                }
            }
        }
    }

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config ?? [];
        var uri = new Uri(config["url"]!.GetValue<string>());
        var hasBody = config.ContainsKey("body");
        var method = new HttpMethod((config["method"]?.GetValue<string>() ?? (hasBody ? "POST" : "GET")).ToUpperInvariant());
        JsonNode? body = hasBody ? config["body"] : method == HttpMethod.Get || method == HttpMethod.Delete ? null : context.ToTaskInput();
        var client = clients.CreateClient(ClientName);
        using var limit = new CancellationTokenSource(options.Value.Http.RequestTimeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);

        for (var redirects = 0; ; redirects++)
        {
            EnsureAllowed(uri, options.Value.Http);
            using var request = new HttpRequestMessage(method, uri);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (config["headers"] is JsonObject headers)
            {
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value?.GetValue<string>());
                }
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects >= MaxRedirects)
                {
                    throw new HttpRequestException($"more than {MaxRedirects} redirects from {config["url"]}");
                }

                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (response.StatusCode is HttpStatusCode.SeeOther || (method == HttpMethod.Post && (int)response.StatusCode is 301 or 302))
                {
                    method = HttpMethod.Get;
                    body = null;
                }

                continue;
            }

            var text = await ReadLimitedAsync(response.Content, options.Value.Http.MaxResponseBytes, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var excerpt = text.Length > 200 ? text[..200] + "…" : text;
                throw new HttpRequestException($"{method} {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}: {excerpt}", null, response.StatusCode);
            }

            if (text.Length == 0)
            {
                return null;
            }

            var isJson = response.Content.Headers.ContentType?.MediaType is { } media && (media.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
            return isJson ? JsonNode.Parse(text) : new JsonObject { ["text"] = text };
        }
    }

    /// <summary>Refuses hosts that are not on the allow-list.</summary>
    internal static void EnsureAllowed(Uri uri, HttpTaskOptions http)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new HttpRequestException($"'{uri}' is not an http or https URL");
        }

        var host = uri.IdnHost;
        var allowed = http.AllowedHosts.Any(pattern =>
            pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase) || string.Equals(pattern, uri.Authority, StringComparison.OrdinalIgnoreCase));
        if (!allowed)
        {
            throw new HttpRequestException($"host '{host}' is not in Pipelines:Http:AllowedHosts");
        }
    }

    /// <summary>True for loopback, link-local, private, unique-local, unspecified and multicast addresses.</summary>
    internal static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || b[0] == 0
                || b[0] >= 224;
        }

        var v6 = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (v6[0] & 0xFE) == 0xFC;
    }

    /// <summary>
    /// The primary handler: no automatic redirects (each hop is checked) and a connect callback that refuses
    /// private addresses after name resolution, so DNS cannot smuggle a request into the host's network.
    /// </summary>
    public static HttpMessageHandler CreateHandler(IServiceProvider services)
    {
        var http = services.GetRequiredService<IOptions<PipelineOptions>>().Value.Http;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = async (context, token) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, token);
                var usable = addresses.Where(a => http.AllowPrivateNetworks || !IsPrivate(a)).ToArray();
                if (usable.Length == 0)
                {
                    throw new HttpRequestException($"host '{context.DnsEndPoint.Host}' resolves only to loopback, link-local or private addresses, which Pipelines:Http:AllowPrivateNetworks does not allow");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(usable, context.DnsEndPoint.Port, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, int limit, CancellationToken token)
    {
        await using var stream = await content.ReadAsStreamAsync(token);
        var buffer = new byte[Math.Min(limit, 81920) + 1];
        using var memory = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, token)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > limit)
            {
                throw new HttpRequestException($"the response is larger than {limit} bytes");
            }
        }

        return Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }
}
