namespace Realtime.Presence;

/// <summary>A user's connections as written.</summary>
[GenerateSerializer, Alias("realtime.UserPresenceGrainState")]
internal sealed class UserPresenceGrainState
{
    [Id(0)] public Dictionary<string, UserConnection> Connections { get; set; } = new(StringComparer.Ordinal);
}
