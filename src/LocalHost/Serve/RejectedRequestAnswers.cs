using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using DurablePipelines.Api;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>
/// Gives Kestrel's own rejections (a request line or headers it cannot read, such as <c>%00</c> in a path) a
/// problem+json body, as every other answer has. Kestrel answers those before the application runs, with an empty
/// body and no hook to change it; it does raise the diagnostic event <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c>
/// with the reason just before it writes the answer. A connection middleware wraps each connection's output; the
/// event marks the connection, and the marked connection's next answer, if it is Kestrel's empty one, is rewritten
/// with a body that names the reason. Anything else passes through untouched.
/// </summary>
internal sealed class RejectedRequestAnswers : IObserver<KeyValuePair<string, object?>>
{
    /// <summary>The diagnostic event Kestrel raises when it rejects a request.</summary>
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly ConcurrentDictionary<string, AnsweringWriter> _connections = new(StringComparer.Ordinal);

    /// <summary>Listens to Kestrel's rejections on <paramref name="diagnostics"/> (the host's listener).</summary>
    public IDisposable Subscribe(DiagnosticListener diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return diagnostics.Subscribe(this, name => name == BadRequestEvent);
    }

    /// <summary>The connection middleware: wraps the connection's output for as long as it is open.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var original = connection.Transport;
        var writer = new AnsweringWriter(original.Output);
        connection.Transport = new Transport(original.Input, writer);
        _connections[connection.ConnectionId] = writer;
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport = original;
        }
    };

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == BadRequestEvent
            && value.Value is IFeatureCollection features
            && features.Get<IHttpConnectionFeature>()?.ConnectionId is { } connectionId
            && _connections.TryGetValue(connectionId, out var writer))
        {
            writer.Reject(features.Get<IBadRequestExceptionFeature>()?.Error?.Message);
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes bytes through; once rejected, holds Kestrel's answer and writes it again with a body.</summary>
    private sealed class AnsweringWriter(PipeWriter inner) : PipeWriter
    {
        private static readonly byte[] s_headerEnd = "\r\n\r\n"u8.ToArray();
        private ArrayBufferWriter<byte>? _held;
        private string? _reason;

        public override bool CanGetUnflushedBytes => _held is null && inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => _held?.WrittenCount ?? inner.UnflushedBytes;

        public void Reject(string? reason)
        {
            _reason = string.IsNullOrWhiteSpace(reason) ? "the request could not be read" : reason;
            _held = new ArrayBufferWriter<byte>();
        }

        public override void Advance(int bytes)
        {
            if (_held is null)
            {
                inner.Advance(bytes);
            }
            else
            {
                _held.Advance(bytes);
            }
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _held?.GetMemory(sizeHint) ?? inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _held is null ? inner.GetSpan(sizeHint) : _held.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release(complete: false);
            return inner.FlushAsync(cancellationToken);
        }

        public override void Complete(Exception? exception = null)
        {
            Release(complete: true);
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            Release(complete: true);
            await inner.CompleteAsync(exception);
        }

        /// <summary>Writes what is held: rewritten once the whole header block is there, as it was when it is not Kestrel's empty answer.</summary>
        private void Release(bool complete)
        {
            if (_held is null)
            {
                return;
            }

            var held = _held.WrittenSpan;
            var end = held.IndexOf(s_headerEnd);
            if (end < 0 && !complete)
            {
                return;
            }

            var answer = end < 0 ? null : Rewrite(Encoding.Latin1.GetString(held[..end]), _reason!);
            if (answer is null)
            {
                inner.Write(held);
            }
            else
            {
                inner.Write(answer);
                inner.Write(held[(end + s_headerEnd.Length)..]);
            }

            _held = null;
        }

        /// <summary>The answer with a problem body, or null when <paramref name="head"/> is not an empty error answer.</summary>
        private static byte[]? Rewrite(string head, string reason)
        {
            var lines = head.Split("\r\n");
            var status = lines[0].Split(' ');
            if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
                || !int.TryParse(status[1], System.Globalization.CultureInfo.InvariantCulture, out var code) || code < 400
                || !lines.Any(l => l.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase))
                || lines.Any(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            var problem = Problems.Create(code, "bad-request", "The request could not be read.", reason);
            var body = JsonSerializer.SerializeToUtf8Bytes(problem.Body);
            var headers = lines.Where(l => !l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                .Append($"Content-Type: {Problems.ContentType}")
                .Append($"Content-Length: {body.Length}");
            return [.. Encoding.Latin1.GetBytes(string.Join("\r\n", headers) + "\r\n\r\n"), .. body];
        }
    }
}
