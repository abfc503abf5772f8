using Orleans.TestingHost;

namespace Realtime.Grains.Tests;

/// <summary>A two-silo cluster shared by the grain tests; isolation is by unique keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int HistorySize = 20;
    public const int MaxRooms = 5;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
        => Cluster = await RealtimeTestCluster.StartAsync(
            silos: 2,
            settings: new Dictionary<string, string?>
            {
                ["Realtime:Rooms:HistorySize"] = HistorySize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Realtime:Rooms:Categories:live:PresenceEvents"] = "true",
                ["Realtime:Clients:MaxRoomsPerClient"] = MaxRooms.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Realtime:Presence:OfflineGracePeriod"] = "00:00:00",
            },
            handlers: TestHandlers.Register,
            logs: Logs);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public Task<StreamProbe> ProbeAsync(string? gatewayId = null) => StreamProbe.SubscribeAsync(Cluster.Client, gatewayId);
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

public static class Keys
{
    public static string Room(string category = "chat") => $"{category}:{Guid.NewGuid():N}";

    public static string Client() => "c_" + Guid.NewGuid().ToString("N")[..24];

    public static string User() => "u_" + Guid.NewGuid().ToString("N")[..12];
}
