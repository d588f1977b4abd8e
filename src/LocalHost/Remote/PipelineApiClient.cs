using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurablePipelines.LocalHost.Remote;

/// <summary>
/// The HTTP API of a host (<c>dp serve</c> or the Function App) as <c>dp runs</c> calls it: the routes under
/// <c>{url}/api/</c>, with the key as the <c>x-functions-key</c> header when one is given.
/// </summary>
internal sealed class PipelineApiClient : IDisposable
{
    private readonly HttpClient _http;

    public PipelineApiClient(Uri baseUrl, string? key, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(root, "api/");
        _http.Timeout = TimeSpan.FromSeconds(60);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(key))
        {
            _http.DefaultRequestHeaders.Add("x-functions-key", key);
        }
    }

    /// <summary>Where the API is: <c>{url}/api/</c>.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>GET</c> of <paramref name="path"/> (relative to <c>/api/</c>).</summary>
    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary><c>POST</c> of <paramref name="body"/> (none when null) to <paramref name="path"/>.</summary>
    public Task<ApiAnswer> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return SendAsync(request, cancellationToken);
    }

    /// <summary>A path segment, escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public void Dispose() => _http.Dispose();

    private async Task<ApiAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonNode? body = null;
                if (text.Length > 0)
                {
                    try
                    {
                        body = JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                        body = JsonValue.Create(text);
                    }
                }

                return new ApiAnswer((int)response.StatusCode, body, null);
            }
            catch (HttpRequestException ex)
            {
                return new ApiAnswer(0, null, $"cannot reach {new Uri(_http.BaseAddress!, request.RequestUri!)}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ApiAnswer(0, null, $"{new Uri(_http.BaseAddress!, request.RequestUri!)} did not answer within {_http.Timeout.TotalSeconds:0} s");
            }
        }
    }
}

/// <summary>What the host answered: its status and JSON body, or why there was no answer.</summary>
/// <param name="Status">The HTTP status; 0 when there was no answer.</param>
/// <param name="Body">The body, parsed; a string node when it was not JSON; null when empty.</param>
/// <param name="Unreachable">Why there was no answer, or null.</param>
internal sealed record ApiAnswer(int Status, JsonNode? Body, string? Unreachable)
{
    /// <summary>2xx.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>
    /// What went wrong, for people: the problem's status, title and detail, then every error of its list, one per
    /// line; or why the host could not be reached.
    /// </summary>
    public IEnumerable<string> Problem()
    {
        if (Unreachable is not null)
        {
            yield return Unreachable;
            yield break;
        }

        var detail = Body?["detail"]?.GetValue<string>() ?? (Body is JsonValue v && v.TryGetValue<string>(out var text) ? text : null);
        yield return detail is null ? $"HTTP {Status}" : $"HTTP {Status}: {detail}";
        if (Body?["errors"] is JsonArray errors)
        {
            foreach (var error in errors)
            {
                yield return $"  {error?["path"]?.GetValue<string>()}: {error?["message"]?.GetValue<string>()}";
            }
        }
    }
}
