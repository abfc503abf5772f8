using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// What a sequencer of pushes (a room, or a user's presence for the user's room) answers from its
/// history: a join's recovery from <c>since</c>, and a gateway's gap repair.
/// </summary>
internal static class RoomRecovery
{
    /// <summary>
    /// A join at <paramref name="seq"/>: with a <paramref name="since"/> of this epoch, the pushes after it
    /// that were for this connection, newest kept when they pass <paramref name="maxBytes"/>, and whether none is missing.
    /// </summary>
    public static RoomJoinResult Recover(RoomHistory history, long seq, string epoch, long? since, string? askedEpoch, string clientId, IReadOnlyDictionary<string, string>? metadata, long maxBytes, long nowTicks)
    {
        if (since is not { } after || (askedEpoch is not null && askedEpoch != epoch) || after > seq)
        {
            return new RoomJoinResult(seq, epoch, Recovered: false, []);
        }

        history.Evict(nowTicks);
        var (all, complete) = history.After(after, seq);

        // Pushes that were not for this connection (its own without echo, filtered away) are not missed.
        var entries = all.Where(e => e.IsFor(clientId, metadata)).ToList();

        // A recovery larger than the bound keeps its newest pushes and says that some were lost.
        var bytes = 0L;
        var first = entries.Count;
        while (first > 0 && bytes + entries[first - 1].Frame.Length <= maxBytes)
        {
            bytes += entries[--first].Frame.Length;
        }

        return new RoomJoinResult(seq, epoch, complete && first == 0, entries.Skip(first).Select(e => e.Frame).ToArray());
    }

    /// <summary>Everything the history holds after <paramref name="afterSeq"/>, for a gateway that saw a gap.</summary>
    public static RoomHistorySlice Slice(RoomHistory history, long afterSeq, long seq, string epoch, long nowTicks)
    {
        history.Evict(nowTicks);
        var (entries, complete) = history.After(afterSeq, seq);
        return new RoomHistorySlice(
            seq,
            epoch,
            complete,
            entries.Select(e => e.Seq).ToArray(),
            entries.Select(e => e.Frame).ToArray(),
            entries.Select(e => e.Exclude).ToArray(),
            entries.Select(e => e.Filter).ToArray());
    }

    /// <summary>
    /// Why a client's own publish (straight from its gateway) may not go to <paramref name="room"/> under
    /// <paramref name="policy"/>, or null when the room takes it from a member.
    /// </summary>
    public static RoomPublishResult? RefusedFromGateway(PublishPolicy policy, string room) => policy switch
    {
        PublishPolicy.Denied => RoomPublishResult.Fail(Protocol.ErrorCodes.Forbidden, $"Clients may not publish to {room}"),
        PublishPolicy.Authorizer => RoomPublishResult.Fail(RoomPublishResult.ThroughConnectionCode, "The publish authorizer decides"),
        _ => null,
    };

    /// <summary>The request's exclude list, plus the sender unless it asked for its own push back.</summary>
    public static string[]? Excluded(RoomPublishRequest request, MessageSender? from)
        => from is not null && !request.Echo ? [.. request.Exclude ?? [], from.ClientId] : request.Exclude;
}
