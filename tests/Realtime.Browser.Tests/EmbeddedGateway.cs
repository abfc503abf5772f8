using Realtime.Grains;

namespace Realtime.Browser.Tests;

/// <summary>The gateway as the run command starts it (embedded silo, shipped settings and room policies), plus two handlers the client tests call.</summary>
public sealed class EmbeddedGateway : IAsyncLifetime
{
    /// <summary>How many pushes a room keeps for recovery here: small, so a test can outrun it.</summary>
    public const int HistorySize = 8;

    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
        => Server = await GatewayServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Realtime:Rooms:HistorySize"] = HistorySize.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // The shipped policies open chat; the script client's tests use rooms of their own.
                ["Realtime:Rooms:Categories:room:Join"] = "Anyone",
            },
            builder => builder.Services.AddRealtimeHandlers(handlers => handlers
                .Map("test", "add", (int[] numbers) => numbers.Sum())
                .Map("test", "slow", async (CancellationToken token) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), token);
                    return 0;
                })),
            shippedRoomPolicies: true);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
