using System.Globalization;
using System.Net;
using DurablePipelines.Api;
using DurablePipelines.Records;
using Microsoft.Azure.Functions.Worker.Http;

namespace DurablePipelines.FunctionApp.Http;

/// <summary>Writes <see cref="PipelineApi"/>'s answers out as they are: status, content type, <c>Location</c>, <c>Retry-After</c>, body.</summary>
internal static class HttpResponses
{
    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, ApiResponse answer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answer);
        var response = request.CreateResponse();
        response.StatusCode = (HttpStatusCode)answer.StatusCode;
        if (answer.Location is { } location)
        {
            response.Headers.Add("Location", location);
        }

        if (answer.RetryAfterSeconds is { } seconds)
        {
            response.Headers.Add("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        if (answer.Body is { } body)
        {
            response.Headers.Add("Content-Type", $"{answer.ContentType}; charset=utf-8");
            await response.WriteStringAsync(body.ToJsonString(PipelineJson.Options));
        }

        return response;
    }

    public static async Task<HttpResponseData> WriteBytesAsync(HttpRequestData request, byte[] content, string contentType)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse();
        response.StatusCode = HttpStatusCode.OK;
        response.Headers.Add("Content-Type", contentType);
        await response.WriteBytesAsync(content);
        return response;
    }

    public static Task<HttpResponseData> RedirectAsync(HttpRequestData request, string location)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse();
        response.StatusCode = HttpStatusCode.MovedPermanently;
        response.Headers.Add("Location", location);
        return Task.FromResult(response);
    }
}
