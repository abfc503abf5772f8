using Microsoft.Extensions.Logging;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>
/// Server requests: a push with <c>rid</c> runs the request handler of its type and action, beside
/// the pushes (a slow handler holds nothing up), and its result or error goes back as
/// <c>system</c>/<c>answer</c> on the connection that was asked.
/// </summary>
public sealed partial class RealtimeClient
{
    private (string Type, string Action, Func<PushMessage, CancellationToken, Task<object?>> Handler)[] _requestHandlers = [];

    /// <summary>
    /// Answers the server's requests of <paramref name="type"/>/<paramref name="action"/> (<c>"*"</c> matches
    /// any) with what <paramref name="handler"/> returns. A handler that throws a
    /// <see cref="RealtimeRequestException"/> answers with its code; any other exception with
    /// <c>HANDLER_ERROR</c>. A request no handler takes is answered <c>UNKNOWN_ROUTE</c>. An answer is sent
    /// only on the connection that was asked (after a reconnect the server no longer waits for it); the
    /// token is cancelled when the client is disposed.
    /// </summary>
    public IDisposable OnRequest(string type, string action, Func<PushMessage, CancellationToken, Task<object?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var entry = (type, action, handler);
        lock (_handlersLock)
        {
            _requestHandlers = [.. _requestHandlers, entry];
        }

        return new Subscription(() =>
        {
            lock (_handlersLock)
            {
                _requestHandlers = [.. _requestHandlers.Where(h => h != entry)];
            }
        });
    }

    private void OnServerRequest(System.Text.Json.JsonElement frame, string rid, CancellationToken token)
    {
        var request = PushMessage.From(frame);
        var handler = _requestHandlers.FirstOrDefault(h => (h.Type == "*" || h.Type == request.Type) && (h.Action == "*" || h.Action == request.Action)).Handler;
        _ = AnswerAsync(rid, request, handler, Volatile.Read(ref _socket), token);
    }

    private async Task AnswerAsync(string rid, PushMessage request, Func<PushMessage, CancellationToken, Task<object?>>? handler, System.Net.WebSockets.ClientWebSocket? asked, CancellationToken token)
    {
        Dictionary<string, object?> answer;
        try
        {
            var result = handler is null
                ? throw new RealtimeRequestException(ErrorCodes.UnknownRoute, $"No request handler for {request.Type}/{request.Action}")
                : await handler(request, token);
            answer = new() { [FrameFields.Rid] = rid, [FrameFields.Ok] = true, [FrameFields.Data] = result };
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (RealtimeRequestException exception)
        {
            answer = Refusal(rid, exception.Code.Length > 0 ? exception.Code : ErrorCodes.HandlerError, exception.Message);
        }
        catch (Exception exception)
        {
            LogRequestHandlerFailed(exception, request.Type, request.Action);
            answer = Refusal(rid, ErrorCodes.HandlerError, "The client's request handler failed");
        }

        if (ReferenceEquals(asked, Volatile.Read(ref _socket)))
        {
            await TrySendAsync(Frame(SystemActions.Type, SystemActions.Answer, answer, null), token);
        }
    }

    private static Dictionary<string, object?> Refusal(string rid, string code, string error)
        => new() { [FrameFields.Rid] = rid, [FrameFields.Ok] = false, [FrameFields.Code] = code, [FrameFields.Error] = error };

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "A request handler for {Type}/{Action} failed.")]
    private partial void LogRequestHandlerFailed(Exception exception, string type, string action);
}
