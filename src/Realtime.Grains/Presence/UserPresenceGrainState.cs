using Realtime.Presence;

namespace Realtime.Grains.Presence;

/// <summary>A user's connections, and whether the user counts as online, as written.</summary>
[GenerateSerializer, Alias("realtime.UserPresenceGrainState")]
internal sealed class UserPresenceGrainState
{
    [Id(0)] public Dictionary<string, UserConnection> Connections { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True from the online hook until the offline hook: through the grace period too.</summary>
    [Id(1)] public bool Online { get; set; }
}
