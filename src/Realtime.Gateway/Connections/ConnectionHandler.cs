using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Auth;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Delivery;
using Realtime.Gateway.Diagnostics;
using Realtime.Gateway.Hosting;
using Realtime.Gateway.Dispatch;
using Realtime.Protocol;

namespace Realtime.Gateway.Connections;

/// <summary>
/// One WebSocket session, in a fixed order: accept, register locally, register in the cluster, read
/// frames until the socket closes, then unregister from both, whatever happened.
/// </summary>
internal sealed partial class ConnectionHandler(
    IGatewayCluster cluster,
    ConnectionAuthenticator authenticator,
    ConnectionTable connections,
    LocalRooms rooms,
    FrameDispatcher dispatcher,
    GatewayIdentity gateway,
    GatewayState state,
    ConnectionAdmission admission,
    GatewayMetrics metrics,
    ServerRequests requests,
    IOptions<RealtimeGatewayOptions> options,
    ILogger<ConnectionHandler> logger)
{
    private readonly RealtimeGatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        // Limits, origin and token are checked before the upgrade: a refused request never gets a socket.
        if (!admission.TryAttempt(context))
        {
            Refuse(context, StatusCodes.Status429TooManyRequests, "too many connection attempts from this address");
            return;
        }

        var identity = await authenticator.AuthenticateAsync(context);
        if (identity.Refused)
        {
            context.Response.StatusCode = identity.RefusalStatus;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint takes WebSocket connections only.", context.RequestAborted);
            return;
        }

        if (!state.Accepting)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using var place = admission.TryOpen(context);
        if (place is null)
        {
            Refuse(context, StatusCodes.Status503ServiceUnavailable, "too many open connections (on this gateway, or from this address)");
            return;
        }

        state.SessionStarted();
        try
        {
            await RunSessionAsync(context, identity);
        }
        finally
        {
            state.SessionEnded();
        }
    }

    private async Task RunSessionAsync(HttpContext context, AuthOutcome identity)
    {
        var userId = identity.UserId;
        var path = context.Request.Path.Value ?? "/";
        RawEndpointMode? raw = _options.RawEndpoints.TryGetValue(path, out var mode) ? mode : null;
        var subProtocol = raw is null ? WireFrames.Select(context.WebSockets.WebSocketRequestedProtocols) : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subProtocol,

            // The socket's own ping/pong finds peers that vanished; application pings are ours (the heartbeat loop).
            KeepAliveInterval = _options.PeerTimeout > TimeSpan.Zero ? _options.HeartbeatInterval : TimeSpan.Zero,
            KeepAliveTimeout = _options.PeerTimeout > TimeSpan.Zero ? _options.PeerTimeout : Timeout.InfiniteTimeSpan,
        });

        var (clientId, resumed, resumeToken) = await ResumeOrStart(raw is null ? context.Request.Query["resume"] : default, identity, path);
        using var connection = new Connection(
            clientId, userId, path, socket, _options.SendQueueBytes, _options.CloseTimeout, identity.ExpiresAt, _options.SendStallTimeout, metrics)
        {
            Wire = WireFrames.For(raw, subProtocol),
        };
        connection.GatewayId = gateway.Id;
        if (resumed is not null)
        {
            connection.Attachment = resumed.Attachment;
            if (connections.TryGet(clientId, out var old))
            {
                // The session's old socket is still open here: it gives way.
                old.Close(CloseCodes.ResumedElsewhere, "resumed elsewhere", flush: false);
            }
        }

        // In the table before it is registered, so nothing sent to it meanwhile is lost; held back
        // until `connected` is written first.
        var opened = false;
        connections.Add(connection);
        try
        {
            if (!state.Accepting)
            {
                // The gateway began stopping while this socket was being accepted.
                connection.Close(CloseCodes.GoingAway, "server shutting down", flush: false);
                await DrainUntilClose(connection);
                return;
            }

            if (resumed is not null)
            {
                Resumed(connection, resumed);
            }
            else if (!await Register(connection, identity, resumeToken.Hash))
            {
                return;
            }

            connection.Start(ServerFrames.Connected(connection.ClientId, userId, (long)_options.HeartbeatInterval.TotalMilliseconds, resumed is not null, resumeToken.Token));
            metrics.Opened(connection.Path);
            opened = true;
            LogConnected(connection.ClientId, userId, connection.Path);

            // Each frame starts its own trace, not a span of a request as long as the connection.
            System.Diagnostics.Activity.Current = null;
            if (await ReceiveLoop(connection))
            {
                await UntilTheClientGoes(context, _options.CloseTimeout);
            }
        }
        finally
        {
            connections.Remove(connection);
            rooms.RemoveConnection(connection);
            requests.End(connection);

            // Always: a registration that timed out here may still have happened in the cluster.
            await Unregister(connection);
            await Finish(connection);
            if (opened)
            {
                metrics.Closed(connection.Path, connection.CloseCode is 0 ? CloseCodes.Abnormal : connection.CloseCode);
            }
        }
    }

    /// <summary>Reads and dispatches frames until the session ends; true when it ended in a protocol violation.</summary>
    private async Task<bool> ReceiveLoop(Connection connection)
    {
        var socket = connection.Socket;
        var limit = _options.MaxFrameBytes + 1;
        var token = connection.Aborted;

        // The frame being handled; the next one is read meanwhile, and waits for it unless it is an
        // answer to a server request (a handler may be asking its own connection).
        var inFlight = Task.CompletedTask;
        try
        {
            while (true)
            {
                // A zero-byte read waits for the next message without holding a buffer while idle.
                var result = await socket.ReceiveAsync(Memory<byte>.Empty, token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    AnswerClose(connection);
                    return false;
                }

                if (result.EndOfMessage)
                {
                    // An empty message: nothing more to read.
                    await inFlight;
                    await Dispatch(connection, ReadOnlyMemory<byte>.Empty, result.MessageType, token);
                    continue;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(4096, limit));
                var owned = false;
                try
                {
                    var count = 0;
                    while (true)
                    {
                        var capacity = Math.Min(buffer.Length, limit);
                        if (count == capacity)
                        {
                            buffer = Grow(buffer, count, Math.Min(capacity * 2, limit));
                            capacity = Math.Min(buffer.Length, limit);
                        }

                        result = await socket.ReceiveAsync(buffer.AsMemory(count, capacity - count), token);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            AnswerClose(connection);
                            return false;
                        }

                        count += result.Count;
                        if (count > _options.MaxFrameBytes)
                        {
                            // Refuse it without reading the rest into memory.
                            LogFrameTooLarge(connection.ClientId, _options.MaxFrameBytes);
                            connection.Close(CloseCodes.MessageTooBig, "frame too large", flush: true);
                            await DrainUntilClose(connection);
                            return false;
                        }

                        if (result.EndOfMessage)
                        {
                            break;
                        }
                    }

                    var message = buffer.AsMemory(0, count);
                    if (!inFlight.IsCompleted && IsAnswer(connection, message, result.MessageType))
                    {
                        await Dispatch(connection, message, result.MessageType, token);
                        continue;
                    }

                    await inFlight;
                    inFlight = DispatchOwning(connection, buffer, count, result.MessageType, token);
                    owned = true;
                }
                finally
                {
                    if (!owned)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode == WebSocketError.Faulted && socket.State == WebSocketState.Aborted && !token.IsCancellationRequested)
        {
            // The client broke the protocol: the WebSocket wrote the close that says so (1002, 1007)
            // and gave up the stream. Ending the request now would cut the connection before that
            // close leaves: the session waits for the client to go (bounded by the close timeout).
            LogProtocolViolation(connection.ClientId, exception.Message);
            connection.BrokeProtocol = true;
            return true;
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The peer went away, or a close was not answered in time.
        }
        catch (Exception exception)
        {
            LogSessionFailed(exception, connection.ClientId);
            connection.Close(CloseCodes.InternalError, "server error", flush: true);
        }
        finally
        {
            // The session ends after its last frame was handled, as when frames were read one by one.
            await Settled(inFlight);
        }

        return false;
    }

    /// <summary>Dispatches the message in <paramref name="buffer"/>, then gives the buffer back.</summary>
    private async Task DispatchOwning(Connection connection, byte[] buffer, int count, WebSocketMessageType type, CancellationToken token)
    {
        try
        {
            await Dispatch(connection, buffer.AsMemory(0, count), type, token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task Settled(Task task)
    {
        try
        {
            await task;
        }
        catch
        {
            // The loop saw it, or is ending anyway.
        }
    }

    private static bool IsAnswer(Connection connection, ReadOnlyMemory<byte> message, WebSocketMessageType type)
        => FrameDispatcher.TryRead(connection, message, type, out var frame, out _)
            && frame.Type == SystemActions.Type
            && frame.Action == SystemActions.Answer;

    /// <summary>One frame at a time, in order; a close that runs out of time ends the wait too.</summary>
    private async Task Dispatch(Connection connection, ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken token)
    {
        connection.LastReceivedMs = Environment.TickCount64;
        await dispatcher.DispatchAsync(connection, message, type).WaitAsync(token);
    }

    private static string NewClientId() => "c_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
