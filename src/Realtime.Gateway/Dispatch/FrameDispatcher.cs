using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Diagnostics;
using Realtime.Gateway.Hosting;
using Realtime.Protocol;

namespace Realtime.Gateway.Dispatch;

/// <summary>
/// Takes one inbound message of a connection: limits, envelope, then the built-in action or the
/// application handler. Whatever goes wrong becomes an error frame for that connection only.
/// </summary>
internal sealed partial class FrameDispatcher(
    IGatewayCluster cluster,
    SystemActionHandler system,
    IOptions<RealtimeGatewayOptions> options,
    GatewayMetrics metrics,
    ILogger<FrameDispatcher> logger)
{
    private readonly RealtimeGatewayOptions _options = options.Value;

    public async Task DispatchAsync(Connection connection, ReadOnlyMemory<byte> message, WebSocketMessageType messageType)
    {
        if (connection.Wire.IsRaw())
        {
            await DispatchRawAsync(connection, message, messageType);
            return;
        }

        var valid = TryRead(connection, message, messageType, out var frame, out var error);
        metrics.Received(message.Length);
        if (!TakeFrame(connection))
        {
            connection.Send(ServerFrames.Error(frame, ErrorCodes.RateLimit, "Too many frames: this one was dropped"));
            return;
        }

        if (messageType != Expected(connection))
        {
            connection.Send(ServerFrames.Error(ErrorCodes.InvalidMessage, connection.Wire == WireProtocol.MessagePack
                ? "Text frames are not supported by realtime.v1.msgpack"
                : "Binary frames are not supported by realtime.v1.json"));
            return;
        }

        if (!TakeBytes(connection, message.Length))
        {
            connection.Send(ServerFrames.Error(frame, ErrorCodes.RateLimit, "Too many bytes: this frame was dropped"));
            return;
        }

        if (!valid)
        {
            connection.Send(ServerFrames.Error(frame, ErrorCodes.InvalidMessage, error!));
            return;
        }

        using var activity = GatewayActivities.StartFrame(frame.Type, frame.Action, connection.ClientId);
        try
        {
            if (frame.Type == SystemActions.Type)
            {
                await system.HandleAsync(connection, frame);
            }
            else
            {
                await HandleApplicationFrame(connection, frame);
            }
        }
        catch (FrameDataException exception)
        {
            connection.Send(ServerFrames.Error(frame, ErrorCodes.InvalidMessage, exception.Message));
        }
        catch (TimeoutException exception)
        {
            LogClusterTimeout(exception, frame.Type!, frame.Action!, connection.ClientId);
            connection.Send(ServerFrames.Error(frame, ErrorCodes.Timeout, "The server did not answer in time"));
        }
        catch (Exception exception)
        {
            LogFrameFailed(exception, frame.Type!, frame.Action!, connection.ClientId);
            connection.Send(ServerFrames.Error(frame, ErrorCodes.HandlerError, "The server could not handle the frame"));
        }
    }

    /// <summary>
    /// A raw endpoint's message, whole, to the path's raw handler; its answer goes back with no envelope.
    /// There is no envelope for an error either: a refused or failed message is logged, and dropped.
    /// </summary>
    private async Task DispatchRawAsync(Connection connection, ReadOnlyMemory<byte> message, WebSocketMessageType messageType)
    {
        metrics.Received(message.Length);
        var binary = connection.Wire == WireProtocol.RawBinary;
        if (messageType != (binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text))
        {
            connection.Close(CloseCodes.UnsupportedData, binary ? "this endpoint takes binary messages" : "this endpoint takes text messages", flush: true);
            return;
        }

        if (!TakeFrame(connection) || !TakeBytes(connection, message.Length))
        {
            return;
        }

        var data = BinaryValues.RawMessage(message, binary);
        using var activity = GatewayActivities.StartFrame(InboundMessage.RawType, connection.Path, connection.ClientId);
        try
        {
            var reply = await cluster.HandleAsync(connection.ClientId, new InboundMessage(InboundMessage.RawType, connection.Path, data, Raw: true));
            if (!reply.Ok)
            {
                LogRawRefused(connection.Path, connection.ClientId, reply.ErrorCode!, reply.Error!);
            }
            else if (reply.Data.Length > 0)
            {
                connection.Send(ServerFrames.Push(InboundMessage.RawType, "reply", reply.Data));
            }
        }
        catch (TimeoutException exception)
        {
            LogClusterTimeout(exception, InboundMessage.RawType, connection.Path, connection.ClientId);
        }
        catch (Exception exception)
        {
            LogFrameFailed(exception, InboundMessage.RawType, connection.Path, connection.ClientId);
        }
    }

    /// <summary>Takes one frame of the connection's budget; false (counted) when it has none left.</summary>
    private bool TakeFrame(Connection connection)
    {
        if (connection.TryTakeFrame(Environment.TickCount64, _options.RateLimitPerSecond, _options.RateLimitBurst))
        {
            return true;
        }

        metrics.RateLimited("frames");
        return false;
    }

    /// <summary>Takes <paramref name="length"/> bytes of the connection's budget; false (counted) when it has not that many left.</summary>
    private bool TakeBytes(Connection connection, int length)
    {
        if (connection.TryTakeBytes(Environment.TickCount64, _options.RateLimitBytesPerSecond, _options.RateLimitBytesBurst, length))
        {
            return true;
        }

        metrics.RateLimited("bytes");
        return false;
    }

    /// <summary>
    /// Reads a message of <paramref name="connection"/> as a frame: JSON text, or a MessagePack map in a
    /// binary message on a <c>realtime.v1.msgpack</c> connection (transcoded to the JSON frame it stands for).
    /// </summary>
    internal static bool TryRead(Connection connection, ReadOnlyMemory<byte> message, WebSocketMessageType messageType, out InboundFrame frame, out string? error)
    {
        frame = default;
        error = null;
        if (connection.Wire.IsRaw() || messageType != Expected(connection))
        {
            return false;
        }

        if (connection.Wire == WireProtocol.MessagePack)
        {
            return MessagePackFrames.TryToJson(message, keepBinary: true, out var json, out error)
                && InboundFrame.TryParse(json, out frame, out error);
        }

        return InboundFrame.TryParse(message, out frame, out error);
    }

    private static WebSocketMessageType Expected(Connection connection)
        => connection.Wire == WireProtocol.MessagePack ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

    private async Task HandleApplicationFrame(Connection connection, InboundFrame frame)
    {
        var reply = await cluster.HandleAsync(connection.ClientId, new InboundMessage(frame.Type!, frame.Action!, frame.Data.ToArray()));
        if (!reply.Ok)
        {
            connection.Send(ServerFrames.Error(frame, reply.ErrorCode!, reply.Error!));
        }
        else if (frame.HasId)
        {
            connection.Send(ServerFrames.Reply(frame, reply.Data));
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Error, Message = "Frame {Type}/{Action} of client {ClientId} failed.")]
    private partial void LogFrameFailed(Exception exception, string type, string action, string clientId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Raw message on {Path} of client {ClientId} was refused: {Code} {Error}")]
    private partial void LogRawRefused(string path, string clientId, string code, string error);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Frame {Type}/{Action} of client {ClientId} timed out in the cluster.")]
    private partial void LogClusterTimeout(Exception exception, string type, string action, string clientId);
}
