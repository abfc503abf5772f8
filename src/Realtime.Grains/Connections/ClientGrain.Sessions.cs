using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Presence;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Connections;

/// <summary>
/// Session resume: a socket that drops leaves the session waiting (rooms, presence and hooks as they
/// were) for <see cref="ClientOptions.ResumeWindow"/>; a new socket with the session's secret takes it
/// back, on any gateway, under the same client id. Each socket holds the session as an attachment, so
/// whatever an older socket's end says later changes nothing.
/// </summary>
internal sealed partial class ClientGrain
{
    private IGrainTimer? _resumeWindow;

    public async Task<TimeSpan> Drop(long attachment, bool resumable)
    {
        if (!State.Connected || attachment != State.Attachment || State.DroppedAt is not null)
        {
            return TimeSpan.Zero;
        }

        var window = _options.ResumeWindow;
        if (!resumable || window <= TimeSpan.Zero || State.ResumeHash is null)
        {
            await Disconnect();
            return TimeSpan.Zero;
        }

        var now = _time.GetUtcNow();
        State.DroppedAt = now;
        await _state.WriteStateAsync();
        StartResumeWindow(now);

        // Its gateway said goodbye: the window, not the gateway's list, ends it now.
        await UnlistQuietly(State.GatewayId);
        return window;
    }

    public Task Revoke()
    {
        // Interleaves (a handler may disconnect its own connection): nothing is written here; the next write,
        // the drop's at the latest, carries it.
        State.ResumeHash = null;
        return Task.CompletedTask;
    }

    public async Task Lost(string gatewayId)
    {
        if (State.Connected && State.GatewayId == gatewayId && State.DroppedAt is null)
        {
            await Drop(State.Attachment, resumable: true);
        }
        else if (!State.Connected)
        {
            // Nothing of it is left; the grain need not stay.
            DeactivateOnIdle();
        }
    }

    public async Task Expire(long attachment)
    {
        if (State.Connected && attachment == State.Attachment && State.DroppedAt is { } dropped && _time.GetUtcNow() >= dropped + _options.ResumeWindow)
        {
            LogResumeWindowOver(ClientId);
            await Disconnect();
        }
    }

    public async Task<ResumeResult> Resume(ResumeRequest request)
    {
        if (!State.Connected || State.ResumeHash is not { } hash || !CryptographicOperations.FixedTimeEquals(hash, request.SecretHash) || State.UserId != request.UserId)
        {
            return ResumeResult.Fresh;
        }

        if (State.DroppedAt is { } dropped && _time.GetUtcNow() > dropped + _options.ResumeWindow)
        {
            await Disconnect();
            return ResumeResult.Fresh;
        }

        var heldBy = State.DroppedAt is null ? State.GatewayId : null;
        var previousGateway = State.GatewayId;
        StopResumeWindow();
        State.Attachment++;
        State.DroppedAt = null;
        State.ResumeHash = request.NewHash;
        State.GatewayId = request.GatewayId;
        State.Path = request.Path;
        State.Claims = request.Claims is null ? [] : [.. request.Claims];
        _user = null;
        _lastActivity = _time.GetUtcNow();
        await _state.WriteStateAsync();

        if (heldBy is not null && heldBy != request.GatewayId)
        {
            // The old socket is still open on another gateway: it gives way (its own gateway sees to a socket of its own).
            await CloseOldSocket(heldBy);
        }

        // Listed under its new gateway again (a dropped session was taken off its old one's list).
        await GrainFactory.GetGatewayConnections(request.GatewayId).Update([ClientId], []);
        if (previousGateway != request.GatewayId)
        {
            await Task.WhenAll(
                UnlistQuietly(previousGateway),
                State.UserId is { } userId
                    ? GrainFactory.GetUserPresenceGrain(userId).Connect(new UserConnection(ClientId, request.GatewayId, State.ConnectedAt), inUserRoom: false)
                    : Task.CompletedTask);
        }

        // The new socket is in every room at once, from where each room stands now (moved there when the gateway changed).
        var rooms = await Task.WhenAll(State.Rooms.Select(async room => new ResumedRoom(room, await GrainFactory.GetRoomGrain(room).Join(
            new RoomJoinRequest(ClientId, State.UserId, request.GatewayId, Metadata: ExposedMetadata(room), ClientMetadata: State.Metadata)))));
        LogResumed(ClientId, previousGateway, request.GatewayId);
        return new ResumeResult(true, State.Attachment, new Dictionary<string, string>(State.Metadata, StringComparer.Ordinal), [.. rooms.Where(r => r.Join.Ok)], State.MetadataVersion);
    }

    private async Task CloseOldSocket(string gatewayId)
    {
        try
        {
            await this.GetStreamProvider(RealtimeStreams.ProviderName)
                .GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gatewayId))
                .OnNextAsync(new DisconnectCommand([ClientId], CloseCodes.ResumedElsewhere, "resumed elsewhere"));
        }
        catch (Exception exception)
        {
            // Its gateway may be the one that died: nothing is left to close.
            LogOldSocketCloseFailed(exception, ClientId, gatewayId);
        }
    }

    private void StartResumeWindow(DateTimeOffset dropped)
    {
        _resumeWindow?.Dispose();
        var left = dropped + _options.ResumeWindow - _time.GetUtcNow();
        _resumeWindow = this.RegisterGrainTimer(
            static (state, _) => state.Grain.OnResumeWindowTimer(state.Attachment),
            (Grain: this, State.Attachment),
            new GrainTimerCreationOptions(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>The window's timer: it ends the session when the window is over, or waits on for what is left of it (a timer may fire early).</summary>
    private async Task OnResumeWindowTimer(long attachment)
    {
        if (State.Connected && attachment == State.Attachment && State.DroppedAt is { } dropped)
        {
            if (_time.GetUtcNow() >= dropped + _options.ResumeWindow)
            {
                await Expire(attachment);
            }
            else
            {
                StartResumeWindow(dropped);
            }
        }
    }

    private void StopResumeWindow()
    {
        _resumeWindow?.Dispose();
        _resumeWindow = null;
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Client {ClientId}'s session was resumed (gateway {From} to {To}).")]
    private partial void LogResumed(string clientId, string from, string to);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "Client {ClientId}'s resume window is over: the session ends.")]
    private partial void LogResumeWindowOver(string clientId);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "Client {ClientId}'s old socket on gateway {GatewayId} could not be told to close.")]
    private partial void LogOldSocketCloseFailed(Exception exception, string clientId, string gatewayId);
}
