using Realtime.Connections;

namespace Realtime.Grains.Connections;

/// <summary>A connection as its grain writes it.</summary>
[GenerateSerializer, Alias("realtime.ClientGrainState")]
internal sealed class ClientGrainState
{
    [Id(0)] public bool Connected { get; set; }

    [Id(1)] public string? UserId { get; set; }

    [Id(2)] public string GatewayId { get; set; } = "";

    [Id(3)] public string Path { get; set; } = "";

    [Id(4)] public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    [Id(5)] public List<string> Rooms { get; set; } = [];

    [Id(6)] public DateTimeOffset ConnectedAt { get; set; }

    [Id(7)] public List<UserClaim> Claims { get; set; } = [];

    /// <summary>Counts metadata changes, so the gateway's copy never goes back to an older one.</summary>
    [Id(8)] public long MetadataVersion { get; set; }

    /// <summary>The rooms of <see cref="Rooms"/> the server put the connection in: no token refresh takes it out of them.</summary>
    [Id(9)] public HashSet<string> ServerRooms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>SHA-256 of the secret of the session's current resume token; null: it cannot be resumed.</summary>
    [Id(10)] public byte[]? ResumeHash { get; set; }

    /// <summary>Which socket holds the session: a resume counts one up, so what the old socket's end says is stale.</summary>
    [Id(11)] public long Attachment { get; set; }

    /// <summary>When the session's socket dropped, while it waits for a resume; null while a socket holds it.</summary>
    [Id(12)] public DateTimeOffset? DroppedAt { get; set; }
}
