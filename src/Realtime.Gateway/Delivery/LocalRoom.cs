namespace Realtime.Gateway.Delivery;

/// <summary>
/// The members of one room on this gateway. Changes copy the member array, so a broadcast walks
/// a stable array without a lock.
/// </summary>
internal sealed class LocalRoom(string name)
{
    private volatile RoomMembership[] _members = [];

    public string Name { get; } = name;

    public RoomMembership[] Members => _members;

    /// <summary>Changed under the <see cref="LocalRooms"/> lock only.</summary>
    public void Add(RoomMembership membership) => _members = [.. _members, membership];

    /// <summary>Changed under the <see cref="LocalRooms"/> lock only; true when the room is now empty.</summary>
    public bool Remove(RoomMembership membership)
    {
        var members = _members;
        var index = Array.IndexOf(members, membership);
        if (index >= 0)
        {
            var copy = new RoomMembership[members.Length - 1];
            Array.Copy(members, 0, copy, 0, index);
            Array.Copy(members, index + 1, copy, index, members.Length - index - 1);
            _members = copy;
        }

        return _members.Length == 0;
    }
}
