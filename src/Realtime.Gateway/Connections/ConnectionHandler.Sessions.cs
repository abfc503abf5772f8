using Realtime.Connections;
using Realtime.Gateway.Auth;
using Realtime.Protocol;

namespace Realtime.Gateway.Connections;

/// <summary>How a session starts: resumed from a <c>resume</c> token, or registered fresh.</summary>
internal sealed partial class ConnectionHandler
{
    /// <summary>
    /// The session a <c>resume</c> token names, when it can be resumed here, with the new token for it;
    /// otherwise a new client id and its token. A bad token, or a cluster that does not answer, starts
    /// a fresh session: never an error.
    /// </summary>
    private async Task<(string ClientId, ResumeResult? Resumed, (string Token, byte[] Hash) ResumeToken)> ResumeOrStart(string? resume, AuthOutcome identity, string path)
    {
        if (ResumeTokens.TryRead(resume, out var clientId, out var secretHash))
        {
            var next = ResumeTokens.New(clientId);
            try
            {
                var result = await cluster.ResumeAsync(clientId, new ResumeRequest(secretHash, identity.UserId, gateway.Id, path, DateTimeOffset.UtcNow, identity.Claims, next.Hash));
                if (result.Resumed)
                {
                    return (clientId, result, next);
                }
            }
            catch (Exception exception)
            {
                LogResumeFailed(exception, clientId);
            }
        }

        var fresh = NewClientId();
        return (fresh, null, ResumeTokens.New(fresh));
    }

    /// <summary>A resumed session's socket: its metadata, and in each of its rooms from where the room stands (announced with <c>roomJoined</c>).</summary>
    private void Resumed(Connection connection, ResumeResult resumed)
    {
        connection.ApplyMetadata(new global::Realtime.Delivery.ClientMetadataChange(connection.ClientId, resumed.Metadata ?? [], resumed.MetadataVersion));
        foreach (var room in resumed.Rooms ?? [])
        {
            rooms.BeginJoin(room.Name, connection).Commit(ServerFrames.RoomJoined(room.Name, room.Join.Seq, room.Join.Epoch), room.Join, []);
        }

        LogResumed(connection.ClientId, connection.UserId, connection.Path);
    }

    /// <summary>Registers a fresh session; false (the socket closed) when the cluster refuses it or does not answer.</summary>
    private async Task<bool> Register(Connection connection, AuthOutcome identity, byte[] resumeHash)
    {
        var userId = identity.UserId;

        // The user's room's pushes are held from before the registration joins it, and follow `connected`.
        var userRoom = userId is null ? null : rooms.BeginJoin(RoomNames.ForUser(userId), connection);
        try
        {
            using var connect = Diagnostics.GatewayActivities.StartConnect(connection.Path);
            var result = await cluster.RegisterAsync(connection.ClientId, new ClientRegistration(
                userId, connection.GatewayId, connection.Path, [], DateTimeOffset.UtcNow, identity.Claims, resumeHash));
            connection.Attachment = result.Attachment;
            if (result.UserRoom is { } joined && userRoom is not null)
            {
                userRoom.Commit(ServerFrames.RoomJoined(userRoom.Room, joined.Seq, joined.Epoch), joined, []);
            }
            else
            {
                userRoom?.Abort();
            }

            if (!result.Accepted)
            {
                LogRefused(connection.ClientId, userId, result.Reason);
                connection.Close(result.CloseCode, result.Reason ?? "", flush: false);
                await DrainUntilClose(connection);
                return false;
            }
        }
        catch (Exception exception)
        {
            userRoom?.Abort();
            LogRegisterFailed(exception, connection.ClientId);
            connection.Close(CloseCodes.TryAgainLater, "cluster unavailable", flush: false);
            await DrainUntilClose(connection);
            return false;
        }

        return true;
    }
}
