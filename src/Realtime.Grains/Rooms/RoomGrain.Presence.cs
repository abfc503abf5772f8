using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// Room presence: a user joins once (with its first connection), leaves once (with its last), and
/// in between is updated when its connections or exposed metadata change.
/// </summary>
internal sealed partial class RoomGrain
{
    private byte[] PresenceFrame(string action, RoomMember member)
        => ServerFrames.Presence(
            action,
            _name,
            member.ClientId,
            member.UserId,
            member.UserId is not null ? [.. _members.ConnectionsOf(member.UserId)] : action == "leave" ? [] : [member.ClientId],
            member.Metadata);

    private static bool SameMember(RoomMember a, RoomMember b)
        => a.GatewayId == b.GatewayId && a.UserId == b.UserId && SameMetadata(a, b);

    private static bool SameMetadata(RoomMember a, RoomMember b)
        => (a.Metadata ?? []).Count == (b.Metadata ?? []).Count
            && (a.Metadata ?? []).All(pair => b.Metadata!.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
