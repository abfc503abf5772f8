using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>One connection's reading: frames in, replies to their requests, pushes to the handlers, and the heartbeat watch.</summary>
public sealed partial class RealtimeClient
{
    /// <summary>
    /// Pings a server silent for the heartbeat interval (when one is set) and treats a server that
    /// said nothing for the interval plus the timeout as gone.
    /// </summary>
    private async Task Watchdog(ClientWebSocket socket, Task receiving, CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var pingedAt = 0L;
        while (!receiving.IsCompleted)
        {
            try
            {
                await timer.WaitForNextTickAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var lastReceived = Interlocked.Read(ref _lastReceivedMs);
            var silentMs = Environment.TickCount64 - lastReceived;
            var interval = _options.HeartbeatInterval ?? ServerHeartbeat;
            if (_options.HeartbeatInterval is not null && silentMs > interval.TotalMilliseconds && pingedAt <= lastReceived)
            {
                pingedAt = Environment.TickCount64;
                await TrySendAsync(Frame(SystemActions.Type, SystemActions.Ping, null, null), token);
            }

            if (silentMs > (interval + _options.HeartbeatTimeout).TotalMilliseconds)
            {
                LogServerSilent(silentMs);
                socket.Abort();
                return;
            }
        }
    }

    private async Task ReceiveLoop(ClientWebSocket socket, TaskCompletionSource connected, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, token);
                Interlocked.Exchange(ref _lastReceivedMs, Environment.TickCount64);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    LogClosedByServer((int?)result.CloseStatus, result.CloseStatusDescription);
                    Volatile.Write(ref _lastClose, new ServerClose((int?)result.CloseStatus, result.CloseStatusDescription));
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                JsonElement frame;
                try
                {
                    frame = JsonDocument.Parse(Json(message.GetBuffer().AsMemory(0, (int)message.Length), result.MessageType)).RootElement.Clone();
                }
                finally
                {
                    message.SetLength(0);
                }

                await OnFrame(frame, connected, token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            SetDisconnectedIfCurrent(socket);
        }
    }

    /// <summary>A received message as JSON: a MessagePack frame (binary) read as the JSON frame it stands for, bytes as base64.</summary>
    private static ReadOnlyMemory<byte> Json(ReadOnlyMemory<byte> message, WebSocketMessageType type)
    {
        if (type != WebSocketMessageType.Binary)
        {
            return message;
        }

        return MessagePackFrames.TryToJson(message, keepBinary: false, out var json, out var error)
            ? json
            : throw new JsonException("The server sent a frame that is not valid MessagePack: " + error);
    }

    private async Task OnFrame(JsonElement frame, TaskCompletionSource connected, CancellationToken token)
    {
        if (frame.TryGetProperty(FrameFields.Id, out var id) && frame.TryGetProperty(FrameFields.Ok, out _))
        {
            var key = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
            if (_pending.TryRemove(key, out var pending))
            {
                // Runs here, in the receive order, so a reply's effects come before later pushes.
                pending.OnReply?.Invoke(frame);
                pending.Reply.TrySetResult(frame);
            }

            return;
        }

        if (frame.TryGetProperty(FrameFields.Rid, out var rid) && rid.ValueKind == JsonValueKind.String)
        {
            OnServerRequest(frame, rid.GetString()!, token);
            return;
        }

        var type = frame.TryGetProperty(FrameFields.Type, out var t) ? t.GetString() : null;
        var action = frame.TryGetProperty(FrameFields.Action, out var a) ? a.GetString() : null;
        if (type == SystemActions.Type)
        {
            switch (action)
            {
                case SystemActions.Connected:
                    var data = frame.GetProperty(FrameFields.Data);
                    ClientId = data.GetProperty(FrameFields.ClientId).GetString();
                    Resumed = data.TryGetProperty(FrameFields.Resumed, out var resumed) && resumed.ValueKind == JsonValueKind.True;
                    Volatile.Write(ref _resumeToken, data.TryGetProperty(FrameFields.ResumeToken, out var resumeToken) ? resumeToken.GetString() : null);
                    UserId = data.TryGetProperty(FrameFields.UserId, out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : null;
                    if (data.TryGetProperty(FrameFields.HeartbeatMs, out var heartbeat) && heartbeat.TryGetInt64(out var ms) && ms > 0)
                    {
                        ServerHeartbeat = TimeSpan.FromMilliseconds(ms);
                    }

                    connected.TrySetResult();
                    return;
                case SystemActions.Ping:
                    await TrySendAsync(Frame(SystemActions.Type, SystemActions.Pong, null, null), token);
                    return;
                case SystemActions.Resync:
                    await OnResync(frame);
                    return;
                case SystemActions.RoomJoined or SystemActions.RoomLeft:
                    OnServerMembership(frame, joined: action == SystemActions.RoomJoined);
                    Emit(frame);
                    return;
            }
        }

        if (frame.TryGetProperty(FrameFields.Room, out var room) && room.ValueKind == JsonValueKind.String
            && frame.TryGetProperty(FrameFields.Seq, out var seq) && seq.ValueKind == JsonValueKind.Number)
        {
            await OnRoomPush(room.GetString()!, seq.GetInt64(), frame);
            return;
        }

        Emit(frame);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The server closed the connection ({Code} {Reason}).")]
    private partial void LogClosedByServer(int? code, string? reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The server has been silent for {SilentMs} ms; reconnecting.")]
    private partial void LogServerSilent(long silentMs);
}
