using Realtime.Delivery;
using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// Joins, leaves and member updates: they interleave with the room's publishes. Each takes its
/// place in the room's order in its first synchronous step and then waits for the save that
/// carries it (<see cref="Save"/>).
/// </summary>
internal sealed partial class RoomGrain
{
    public async Task<RoomJoinResult> Join(RoomJoinRequest request)
    {
        var member = new RoomMember(request.ClientId, request.UserId, request.GatewayId, request.Metadata);
        var found = _members.TryGet(request.ClientId, out var existing);
        var changed = !found || !SameMember(existing, member);
        Task presence = Task.CompletedTask;
        if (found && changed)
        {
            CountGateway(existing.GatewayId, -1);
            AddMember(member);
            if (!SameMetadata(existing, member) && _options.PresenceEventsFor(_name))
            {
                presence = SendToGateways(new RoomEventPush(_name, PresenceFrame("update", member)));
            }
        }
        else if (!found)
        {
            // A user with several connections here joins once; its next connections update it.
            var userAlreadyHere = member.UserId is not null && _members.ConnectionsOf(member.UserId).Count > 0;
            AddMember(member);
            if (_options.PresenceEventsFor(_name))
            {
                presence = SendToGateways(new RoomEventPush(_name, PresenceFrame(userAlreadyHere ? "update" : "join", member), [member.ClientId]));
            }
        }

        // The join's place in the room's order, taken with the member's arrival: every push after
        // this seq is sent with the member counted, every one up to it is history.
        var result = Recover(request.Since, request.Epoch, request.ClientId, request.ClientMetadata);
        var notified = request.NotifyGateway
            ? Send(request.GatewayId, new RoomMembershipChange(_name, request.ClientId, Joined: true, result.Seq, State.Epoch))
            : Task.CompletedTask;
        if (changed)
        {
            try
            {
                await Save();
            }
            catch when (!found && _members.TryGet(member.ClientId, out var current) && ReferenceEquals(current, member))
            {
                // The join is refused: the member is taken out again (the next save writes that).
                _members.Remove(member.ClientId, out _);
                CountGateway(member.GatewayId, -1);
                throw;
            }
        }

        await presence;
        await notified;
        return result;
    }

    public async Task<bool> Leave(string clientId, bool notifyGateway = false)
    {
        if (!_members.Remove(clientId, out var member))
        {
            return false;
        }

        var notified = notifyGateway
            ? Send(member.GatewayId, new RoomMembershipChange(_name, clientId, Joined: false, _seq, State.Epoch))
            : Task.CompletedTask;
        CountGateway(member.GatewayId, -1);

        // A user with several connections here leaves when the last one does; before, it is updated.
        var userStillHere = member.UserId is not null && _members.ConnectionsOf(member.UserId).Count > 0;
        var presence = _options.PresenceEventsFor(_name) && _gateways.Count > 0
            ? SendToGateways(new RoomEventPush(_name, PresenceFrame(userStillHere ? "update" : "leave", member)))
            : Task.CompletedTask;
        await Save();
        await notified;
        await presence;
        return true;
    }

    public async Task UpdateMember(string clientId, Dictionary<string, string>? metadata)
    {
        if (_members.TryGet(clientId, out var existing))
        {
            var updated = existing with { Metadata = metadata };
            if (!SameMember(existing, updated))
            {
                _members.Set(updated);
                var presence = _options.PresenceEventsFor(_name)
                    ? SendToGateways(new RoomEventPush(_name, PresenceFrame("update", updated)))
                    : Task.CompletedTask;
                await Save();
                await presence;
            }
        }
    }

    private void AddMember(RoomMember member)
    {
        _members.Set(member);
        CountGateway(member.GatewayId, +1);
    }
}
