namespace Realtime.Cluster.Tests;

/// <summary>A bad setting and an unreachable Redis look like what they are: one line, exit code 1, no stack trace.</summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan s_exit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--Realtime:Presence:OfflineGracePeriod=02:00:00", "Invalid setting: Realtime:Presence:OfflineGracePeriod must be between 0 and 1 hour.")]
    [InlineData("--Realtime:Gateway:HeartbeatInterval=soon", "Invalid setting: Failed to convert configuration value 'soon' at 'Realtime:Gateway:HeartbeatInterval' to type 'System.TimeSpan'.")]
    public async Task ABadSettingIsOneLineNamingItAndExitCodeOne(string setting, string line)
    {
        await using var gateway = HostProcess.Start("gateway", ProcessCluster.GatewayDll, [$"--urls=http://127.0.0.1:{FreePorts.Next()}", $"--Orleans:SiloPort={FreePorts.Next()}", $"--Orleans:GatewayPort={FreePorts.Next()}", setting]);

        Assert.Equal(1, await gateway.WaitForExitAsync(s_exit));
        Assert.Contains(gateway.Output, l => l.EndsWith(line, StringComparison.Ordinal));
        AssertNoStackTrace(gateway);
    }

    [Fact]
    public async Task UnknownSettingsAreWarnedAboutAndTheGatewayRunsAnyway()
    {
        await using var gateway = HostProcess.Start("gateway", ProcessCluster.GatewayDll,
        [
            $"--urls=http://127.0.0.1:{FreePorts.Next()}", $"--Orleans:SiloPort={FreePorts.Next()}", $"--Orleans:GatewayPort={FreePorts.Next()}",
            "--Realtime:Gatway:HeartbeatInterval=00:00:10",
            "--Realtime:Gateway:HeartbeatIntervall=00:00:10",
            "--Realtime:Rooms:Categories:chat:Jion=Anyone",
        ]);

        await gateway.WaitForOutputAsync("Realtime gateway ready", s_exit);
        Assert.True(gateway.Wrote("Unknown setting Realtime:Gatway: no part of the server reads it"), gateway.Tail());
        Assert.True(gateway.Wrote("Unknown setting under Realtime:Gateway: 'HeartbeatIntervall'"), gateway.Tail());
        Assert.True(gateway.Wrote("Unknown setting under Realtime:Rooms: 'Jion'"), gateway.Tail());
        Assert.False(gateway.Wrote("Unknown setting under Realtime:Presence"));
    }

    [Fact]
    public async Task ASiloWaitsForRedisThenGivesUpInOneLine()
    {
        await using var silo = StartSilo($"127.0.0.1:{FreePorts.Next()}", "00:00:03");

        Assert.Equal(1, await silo.WaitForExitAsync(s_exit));
        Assert.Contains(silo.Output, l => l.Contains("did not answer within 3 s (Orleans:RedisWaitTime); exiting.", StringComparison.Ordinal));
        AssertNoStackTrace(silo);
    }

    [Fact]
    public async Task ASiloThatWaitedForRedisStartsWhenRedisComes()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        await using var silo = StartSilo(redis.ConnectionString, "00:01:00");
        await silo.WaitForOutputAsync("Waiting for Redis", s_exit);

        await redis.StartAgainAsync();

        await silo.WaitForOutputAsync("Realtime silo ready", TimeSpan.FromSeconds(90));
        Assert.False(silo.HasExited);
    }

    private static HostProcess StartSilo(string redis, string waitTime) => HostProcess.Start("silo", ProcessCluster.HostDll("silo", "Realtime.SiloHost.dll"),
    [
        $"--urls=http://127.0.0.1:{FreePorts.Next()}",
        $"--Orleans:SiloPort={FreePorts.Next()}",
        $"--Orleans:GatewayPort={FreePorts.Next()}",
        $"--Orleans:ClusterId=test-{Guid.NewGuid():N}",
        $"--ConnectionStrings:Redis={redis}",
        $"--Orleans:RedisWaitTime={waitTime}",
    ]);

    private static void AssertNoStackTrace(HostProcess process)
        => Assert.DoesNotContain(process.Output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal));
}
