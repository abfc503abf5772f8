using System.Text;
using Microsoft.Extensions.Options;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Gateway.Auth;
using Realtime.Gateway.Cluster;
using Realtime.Gateway.Connections;
using Realtime.Gateway.Delivery;
using Realtime.Gateway.Hosting;
using Realtime.Protocol;

namespace Realtime.Gateway.Dispatch;

/// <summary>The built-in <c>system</c> actions of PROTOCOL.md.</summary>
internal sealed class SystemActionHandler(
    IGatewayCluster cluster,
    LocalRooms rooms,
    ConnectionAuthenticator authenticator,
    Diagnostics.GatewayMetrics metrics,
    ServerRequests requests,
    IOptions<RealtimeGatewayOptions> options)
{
    private readonly RealtimeGatewayOptions _options = options.Value;

    public Task HandleAsync(Connection connection, InboundFrame frame) => frame.Action switch
    {
        SystemActions.JoinRoom => JoinRoom(connection, frame),
        SystemActions.LeaveRoom => LeaveRoom(connection, frame),
        SystemActions.Publish => Publish(connection, frame),
        SystemActions.Presence => Presence(connection, frame),
        SystemActions.Ping => Ping(connection, frame),
        SystemActions.Pong => Pong(connection, frame),
        SystemActions.SetMetadata => SetMetadata(connection, frame),
        SystemActions.RefreshToken => RefreshToken(connection, frame),
        SystemActions.Answer => Answer(connection, frame),
        _ => Fail(connection, frame, ErrorCodes.UnknownRoute, $"Unknown route {frame.Type}/{frame.Action}"),
    };

    private async Task JoinRoom(Connection connection, InboundFrame frame)
    {
        string roomName;
        long? since;
        string? epoch;
        using (var data = FrameData.Parse(frame.Data, SystemActions.JoinRoom))
        {
            roomName = data.RequiredRoomName();
            since = data.OptionalSeq("since");
            epoch = data.OptionalString("epoch");
        }

        // The room's pushes for this connection are held until the join's answer is written.
        var join = rooms.BeginJoin(roomName, connection);
        ClientJoinResult result;
        try
        {
            result = await cluster.JoinRoomAsync(connection.ClientId, new ClientJoinRequest(roomName, since, epoch));
        }
        catch
        {
            join.Abort();
            throw;
        }

        // Refused, even as a member already: the connection's grain has left the room too.
        var reply = !result.Room.Ok ? ServerFrames.Error(frame, result.Room.ErrorCode!, result.Room.Error!)
            : frame.HasId ? ServerFrames.JoinReply(frame, roomName, result.Room.Seq, result.Room.Epoch, result.Room.Recovered, result.Room.Missed)
            : null;
        join.Commit(reply, result.Room, result.LeftRooms);
        if (since is not null && result.Room.Ok)
        {
            metrics.Recovery(result.Room.Recovered);
        }
    }

    private async Task LeaveRoom(Connection connection, InboundFrame frame)
    {
        string roomName;
        using (var data = FrameData.Parse(frame.Data, SystemActions.LeaveRoom))
        {
            roomName = data.RequiredRoomName();
        }

        rooms.Leave(roomName, connection);
        await cluster.LeaveRoomAsync(connection.ClientId, roomName);
        if (frame.HasId)
        {
            connection.Send(ServerFrames.LeaveReply(frame, roomName));
        }
    }

    private async Task Publish(Connection connection, InboundFrame frame)
    {
        string roomName, type, action;
        string? idempotencyKey;
        byte[] payload;
        bool echo, transient;
        using (var data = FrameData.Parse(frame.Data, SystemActions.Publish))
        {
            roomName = data.RequiredRoomName();
            type = data.RequiredName("type");
            if (SystemActions.IsReservedType(type))
            {
                throw new FrameDataException($"publish: type '{type}' is reserved for the server");
            }

            action = data.RequiredName("action");
            payload = data.RawValue("data");
            echo = data.OptionalBool("echo");
            transient = data.OptionalBool("transient");
            idempotencyKey = data.OptionalString(FrameFields.IdempotencyKey);
            if (idempotencyKey is not null && !IdempotencyKeys.IsValid(idempotencyKey))
            {
                throw new FrameDataException($"publish: data.idempotencyKey must be {IdempotencyKeys.Rule}");
            }
        }

        // Members here that are behind hold the publisher back (its next frames wait), for at most
        // the stall timeout: a member that takes nothing for that long is cut, not waited for.
        var drained = rooms.WhenMembersDrained(roomName);
        if (!drained.IsCompleted)
        {
            try
            {
                await drained.WaitAsync(_options.SendStallTimeout, connection.Aborted);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
            }
        }

        var result = await cluster.PublishAsync(connection.ClientId, new ClientPublish(roomName, type, action, payload, echo, transient, connection.GatewayId, transient ? null : idempotencyKey));
        if (!result.Ok)
        {
            connection.Send(ServerFrames.Error(frame, result.ErrorCode!, result.Error!));
            return;
        }

        if (frame.HasId)
        {
            connection.Send(ServerFrames.PublishReply(frame, result.Seq, result.Duplicate));
        }
    }

    private async Task Presence(Connection connection, InboundFrame frame)
    {
        string roomName;
        using (var data = FrameData.Parse(frame.Data, SystemActions.Presence))
        {
            roomName = data.RequiredRoomName();
        }

        var result = await cluster.GetPresenceAsync(connection.ClientId, roomName);
        if (!result.Ok)
        {
            connection.Send(ServerFrames.Error(frame, result.ErrorCode!, result.Error!));
            return;
        }

        if (frame.HasId)
        {
            connection.Send(ServerFrames.PresenceReply(frame, [.. result.Members.Select(m => (m.ClientId, m.UserId, m.Metadata))]));
        }
    }

    /// <summary>A fresh token for the same user moves the session's expiry; anything else is UNAUTHORIZED.</summary>
    private async Task RefreshToken(Connection connection, InboundFrame frame)
    {
        string? token;
        using (var data = FrameData.Parse(frame.Data, SystemActions.RefreshToken))
        {
            token = data.OptionalString("token");
        }

        var identity = await authenticator.ValidateAsync(token ?? "", connection.Aborted);
        if (identity.Refused || identity.UserId != connection.UserId)
        {
            connection.Send(ServerFrames.Error(frame, ErrorCodes.Unauthorized, "The token is not valid for this connection"));
            return;
        }

        await cluster.UpdateClaimsAsync(connection.ClientId, identity.Claims);
        connection.TokenExpiresAt = identity.ExpiresAt;
        if (frame.HasId)
        {
            connection.Send(ServerFrames.RefreshReply(frame, identity.ExpiresAt));
        }
    }

    /// <summary>
    /// A client's answer to a server request: to its asker, unless nobody waits for it any more
    /// (unknown rid, answered, past its timeout), which drops it without a word.
    /// </summary>
    private Task Answer(Connection connection, InboundFrame frame)
    {
        ClientAnswer answer;
        string rid;
        using (var data = FrameData.Parse(frame.Data, SystemActions.Answer))
        {
            rid = data.RequiredName("rid");
            if (data.OptionalBool("ok"))
            {
                answer = new ClientAnswer(true, data.RawValue("data"));
            }
            else
            {
                var code = data.OptionalString("code");
                answer = new ClientAnswer(
                    false,
                    null,
                    code is { Length: > 0 and <= InboundFrame.MaxNameBytes } ? code : ErrorCodes.HandlerError,
                    data.OptionalString("error") ?? "The client refused the request");
            }
        }

        requests.Answer(connection, rid, answer);
        if (frame.HasId)
        {
            connection.Send(ServerFrames.Reply(frame, RealtimeJson.EmptyObject));
        }

        return Task.CompletedTask;
    }

    private static Task Ping(Connection connection, InboundFrame frame)
    {
        connection.Send(frame.HasId ? ServerFrames.Reply(frame, frame.Data) : ServerFrames.Pong(frame.Data));
        return Task.CompletedTask;
    }

    private static Task Pong(Connection connection, InboundFrame frame)
    {
        if (frame.HasId)
        {
            connection.Send(ServerFrames.Reply(frame, default));
        }

        return Task.CompletedTask;
    }

    private async Task SetMetadata(Connection connection, InboundFrame frame)
    {
        string key;
        string? value;
        using (var data = FrameData.Parse(frame.Data, SystemActions.SetMetadata))
        {
            key = data.RequiredName("key");
            value = data.MetadataValue("value");
        }

        var current = connection.Metadata;
        if (value is not null)
        {
            if (Encoding.UTF8.GetByteCount(value) > _options.MaxMetadataValueBytes)
            {
                throw new FrameDataException($"setMetadata: data.value may have at most {_options.MaxMetadataValueBytes} bytes");
            }

            if (!current.ContainsKey(key) && current.Count >= _options.MaxMetadataKeys)
            {
                throw new FrameDataException($"setMetadata: a connection may have at most {_options.MaxMetadataKeys} metadata keys");
            }
        }

        // The grain is the one writer: the gateway's copy is what it answers.
        connection.ApplyMetadata(await cluster.SetMetadataAsync(connection.ClientId, key, value));
        if (frame.HasId)
        {
            connection.Send(ServerFrames.Reply(frame, RealtimeJson.EmptyObject));
        }
    }


    private static Task Fail(Connection connection, InboundFrame frame, string code, string message)
    {
        connection.Send(ServerFrames.Error(frame, code, message));
        return Task.CompletedTask;
    }
}
