using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// A room's own record: its order (epoch, seq, reservation) and its first member record; the
/// rest of its members are in records of their own (<see cref="RoomMembers"/>).
/// </summary>
[GenerateSerializer, Alias("realtime.RoomGrainState")]
internal sealed class RoomGrainState
{
    /// <summary>Empty until the room first activates; a new epoch means the room's history was lost.</summary>
    [Id(0)] public string Epoch { get; set; } = "";

    /// <summary>The last seq given, exact when <see cref="Clean"/>.</summary>
    [Id(1)] public long Seq { get; set; }

    /// <summary>Every seq up to this one may have been given.</summary>
    [Id(2)] public long ReservedSeq { get; set; }

    /// <summary>True when written by a deactivation that saved everything.</summary>
    [Id(3)] public bool Clean { get; set; }

    /// <summary>Member record 0.</summary>
    [Id(4)] public Dictionary<string, RoomMember> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many member records there are (0, in state written before there were several, means 1).</summary>
    [Id(5)] public int MemberRecords { get; set; }
}
