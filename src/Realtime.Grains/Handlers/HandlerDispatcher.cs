using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Api;
using Realtime.Connections;
using Realtime.Protocol;

namespace Realtime.Grains.Handlers;

/// <summary>Runs the handler of an application frame within its time limit and turns the outcome into a reply.</summary>
internal sealed partial class HandlerDispatcher(
    HandlerRegistry registry,
    IOptions<HandlerOptions> options,
    IRealtime realtime,
    IServiceScopeFactory scopes,
    Diagnostics.GrainMetrics metrics,
    ILogger<HandlerDispatcher> logger)
{
    private readonly HandlerOptions _options = options.Value;

    public async Task<HandlerReply> Dispatch(HandlerCaller caller, InboundMessage message)
    {
        using var activity = Diagnostics.GrainActivities.StartHandler(message.Type, message.Action);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var reply = await DispatchCore(caller, message);
        var route = reply.ErrorCode == ErrorCodes.UnknownRoute ? null : $"{message.Type}/{message.Action}";
        metrics.Handled(route, reply.ErrorCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        Diagnostics.GrainActivities.Failed(activity, reply.ErrorCode);
        return reply;
    }

    private async Task<HandlerReply> DispatchCore(HandlerCaller caller, InboundMessage message)
    {
        var clientId = caller.ClientId;
        if (!registry.TryGet(message, out var handler))
        {
            return HandlerReply.Fail(ErrorCodes.UnknownRoute, message.Raw
                ? $"No raw handler for {message.Action} (MapRaw)"
                : $"Unknown route {message.Type}/{message.Action}");
        }

        if (handler.Requirements.Length > 0)
        {
            if (caller.UserId is null)
            {
                return HandlerReply.Fail(ErrorCodes.Unauthorized, $"{message.Type}/{message.Action} needs a signed-in user");
            }

            if (!handler.Requirements.All(requirement => requirement.IsMet(caller.User)))
            {
                return HandlerReply.Fail(ErrorCodes.Forbidden, $"{message.Type}/{message.Action} is not allowed for this user");
            }
        }

        var timeout = handler.Timeout ?? _options.Timeout;
        var cancellation = new CancellationTokenSource();
        var scope = scopes.CreateAsyncScope();
        var context = new HandlerContext(
            caller, message.Type, message.Action, BinaryValues.Plain(message.Data),
            realtime, scope.ServiceProvider, _options.JsonSerializerOptions, cancellation.Token);

        var running = Run(handler, context, scope, cancellation);
        try
        {
            var result = await running.WaitAsync(timeout);
            return new HandlerReply(Serialize(result));
        }
        catch (TimeoutException) when (!running.IsCompleted)
        {
            // Ask it to stop and give it a moment: a handler that honours its token finishes
            // before the connection's next frame runs, so frames stay one at a time.
            await cancellation.CancelAsync();
            try
            {
                await running.WaitAsync(_options.CancellationGrace);
            }
            catch (TimeoutException)
            {
                LogIgnoredCancellation(message.Type, message.Action, clientId);
            }
            catch (Exception)
            {
                // It stopped, by throwing: the reply is TIMEOUT all the same.
            }

            LogTimedOut(message.Type, message.Action, clientId, timeout);
            return HandlerReply.Fail(ErrorCodes.Timeout, $"{message.Type}/{message.Action} did not answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (RealtimeException exception)
        {
            return HandlerReply.Fail(exception.Code, exception.Message);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(exception, message.Type, message.Action, clientId);
            return HandlerReply.Fail(ErrorCodes.HandlerError, "The handler failed");
        }
    }

    /// <summary>Runs the handler; its scope and token live until it really ends, even past its time limit.</summary>
    private static async Task<object?> Run(HandlerMethod handler, HandlerContext context, AsyncServiceScope scope, CancellationTokenSource cancellation)
    {
        try
        {
            return await handler.InvokeAsync(context);
        }
        finally
        {
            await scope.DisposeAsync();
            cancellation.Dispose();
        }
    }

    private byte[] Serialize(object? result) => result switch
    {
        null => [],
        JsonElement { ValueKind: JsonValueKind.Undefined } => [],

        // Bytes go to a MessagePack client as bin, to a JSON client as base64 (what JSON makes of them anyway).
        byte[] bytes => BinaryValues.FromBytes(bytes),
        ReadOnlyMemory<byte> bytes => BinaryValues.FromBytes(bytes.Span),
        Memory<byte> bytes => BinaryValues.FromBytes(bytes.Span),
        _ => JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), _options.JsonSerializerOptions),
    };

    [LoggerMessage(EventId = 1300, Level = LogLevel.Error, Message = "Handler {Type}/{Action} failed for client {ClientId}.")]
    private partial void LogHandlerFailed(Exception exception, string type, string action, string clientId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Handler {Type}/{Action} for client {ClientId} ignored its cancellation; it still runs beside the connection's next frames.")]
    private partial void LogIgnoredCancellation(string type, string action, string clientId);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Handler {Type}/{Action} for client {ClientId} ran past its limit of {Timeout}.")]
    private partial void LogTimedOut(string type, string action, string clientId, TimeSpan timeout);
}
