using Realtime.Presence;

namespace Realtime.Grains.Presence;

/// <summary>A user's connections, whether the user counts as online, and the order of the user's room, as written.</summary>
[GenerateSerializer, Alias("realtime.UserPresenceGrainState")]
internal sealed class UserPresenceGrainState
{
    [Id(0)] public Dictionary<string, UserConnection> Connections { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True from the online hook until the offline hook: through the grace period too.</summary>
    [Id(1)] public bool Online { get; set; }

    /// <summary>The user's room's epoch: empty until the user first connects; a new one means its history was lost.</summary>
    [Id(2)] public string RoomEpoch { get; set; } = "";

    /// <summary>The last seq the user's room gave, exact when <see cref="RoomClean"/>.</summary>
    [Id(3)] public long RoomSeq { get; set; }

    /// <summary>Every seq up to this one may have been given.</summary>
    [Id(4)] public long RoomReservedSeq { get; set; }

    /// <summary>True when written by a deactivation that saved everything.</summary>
    [Id(5)] public bool RoomClean { get; set; }
}
