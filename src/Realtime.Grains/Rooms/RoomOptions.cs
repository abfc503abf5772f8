using Realtime.Protocol;

namespace Realtime.Grains.Rooms;

/// <summary>How rooms keep their history and what they tell their members. Section <c>Realtime:Rooms</c>.</summary>
public sealed class RoomOptions
{
    /// <summary>The most recent pushes a room keeps for recovery (<c>since</c>) and gap repair. Default 1,000.</summary>
    public int HistorySize { get; set; } = 1000;

    /// <summary>How long a push stays in a room's history. Default 5 minutes.</summary>
    public TimeSpan HistoryTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most bytes of pushes a room's history holds; the oldest go first. Default 4 MiB.</summary>
    public long HistoryMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most bytes of missed pushes one join returns. A recovery beyond it returns the newest
    /// pushes that fit and <c>recovered:false</c>. Keep it below the gateways' send queue. Default 512 KiB.
    /// </summary>
    public long MaxRecoveryBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// How often a room that published writes its history to grain storage. A silo that dies
    /// loses at most this much history; the seq never repeats (see <see cref="SeqReservation"/>). Default 1 s.
    /// </summary>
    public TimeSpan HistoryFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many seqs a room reserves in storage at a time. A room whose silo died resumes after its
    /// reservation, so a seq is never given twice; clients see the jump as a gap they cannot repair
    /// and are told. Default 1,000.
    /// </summary>
    public int SeqReservation { get; set; } = 1000;

    /// <summary>
    /// How long a room remembers a publish's idempotency key: a repeat within it (same key, same user or
    /// anonymous session, or the server) broadcasts nothing and replies with the first seq. Default 2 minutes.
    /// </summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most idempotency keys one room remembers; past it the oldest are forgotten. Default 10,000; 0 turns keys off.</summary>
    public int IdempotencyMaxKeys { get; set; } = 10_000;

    /// <summary>The most bytes of idempotency keys one room remembers; past it the oldest are forgotten. Default 1 MiB.</summary>
    public long IdempotencyMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Whether rooms push <c>presence</c> join/leave to their members. Default false; see <see cref="Categories"/>.</summary>
    public bool PresenceEvents { get; set; }

    /// <summary>
    /// Who may join rooms whose category sets no <see cref="RoomCategoryOptions.Join"/> and has no join
    /// authorizer of its own (<c>Realtime:Rooms:Join</c>). Unset: a join authorizer for every category
    /// decides when there is one, else <see cref="JoinPolicy.Nobody"/>.
    /// </summary>
    public JoinPolicy? Join { get; set; }

    /// <summary>Who may publish to rooms, unless their category says otherwise. Default: members.</summary>
    public PublishPolicy Publish { get; set; } = PublishPolicy.Members;

    /// <summary>Who may list a room's members, unless its category says otherwise. Default: members.</summary>
    public PresenceVisibility Presence { get; set; } = PresenceVisibility.Members;

    /// <summary>Metadata keys members show each other in presence, unless the category says otherwise. Default: none.</summary>
    public string[] ExposedMetadata { get; set; } = [];

    /// <summary>Per-category settings, by the part of the room name before the first <c>:</c>.</summary>
    public Dictionary<string, RoomCategoryOptions> Categories { get; set; } = new(StringComparer.Ordinal);

    internal bool PresenceEventsFor(string roomName) => CategoryOf(roomName)?.PresenceEvents ?? PresenceEvents;

    internal JoinPolicy? JoinFor(string roomName) => CategoryOf(roomName)?.Join;

    internal PublishPolicy PublishFor(string roomName) => CategoryOf(roomName)?.Publish ?? Publish;

    internal PresenceVisibility PresenceFor(string roomName) => CategoryOf(roomName)?.Presence ?? Presence;

    internal string[] ExposedMetadataFor(string roomName) => CategoryOf(roomName)?.ExposedMetadata ?? ExposedMetadata;

    private RoomCategoryOptions? CategoryOf(string roomName)
        => Categories.Count > 0 && Categories.TryGetValue(RoomNames.Category(roomName), out var category) ? category : null;
}
