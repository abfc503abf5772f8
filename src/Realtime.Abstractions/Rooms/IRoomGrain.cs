using Orleans.Concurrency;

namespace Realtime.Rooms;

/// <summary>
/// One per room, keyed by its name: the members and their gateways, the room's gap-free
/// <c>seq</c>, its <c>epoch</c>, and a bounded history of recent pushes. The single owner of the
/// room's order: publishes one at a time; joins, leaves and member updates interleave with them
/// (each takes its place in the order at once and then waits for its write, shared with the
/// others waiting).
/// </summary>
/// <remarks>
/// Two grains implement it: rooms (the default, by name) and users' presence grains, as their users'
/// rooms (<see cref="RealtimeGrainFactoryExtensions.GetRoomGrain"/> picks by the name).
/// </remarks>
[Alias("realtime.IRoomGrain"), Orleans.Metadata.DefaultGrainType("room")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>Adds a member (idempotent) and, with a <c>since</c>, returns what it missed.</summary>
    [AlwaysInterleave, Alias("Join")]
    Task<RoomJoinResult> Join(RoomJoinRequest request);

    /// <summary>Removes a member (telling its gateway when <paramref name="notifyGateway"/>); false when it was not one.</summary>
    [AlwaysInterleave, Alias("Leave")]
    Task<bool> Leave(string clientId, bool notifyGateway = false);

    /// <summary>Replaces the metadata a member shows to the room.</summary>
    [AlwaysInterleave, Alias("UpdateMember")]
    Task UpdateMember(string clientId, Dictionary<string, string>? metadata);

    /// <summary>Sequences a push, keeps it in history and sends one stream item per gateway with members.</summary>
    [Alias("Publish")]
    Task<RoomPublishResult> Publish(RoomPublishRequest request);

    /// <summary>The room's members.</summary>
    [ReadOnly, Alias("GetMembers")]
    Task<RoomMember[]> GetMembers();

    /// <summary>How many connections are in the room.</summary>
    [ReadOnly, Alias("GetMemberCount")]
    Task<int> GetMemberCount();

    /// <summary>The gateways that hold members of the room.</summary>
    [ReadOnly, Alias("GetGateways")]
    Task<string[]> GetGateways();

    /// <summary>The pushes the room holds after <paramref name="afterSeq"/>.</summary>
    [ReadOnly, Alias("GetHistory")]
    Task<RoomHistorySlice> GetHistory(long afterSeq);
}
