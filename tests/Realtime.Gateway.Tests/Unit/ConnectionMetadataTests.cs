using Realtime.Delivery;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>The gateway's copy of a connection's metadata follows its grain, newest version first.</summary>
public sealed class ConnectionMetadataTests
{
    [Fact]
    public void ANewerChangeReplacesTheCopyAndAnOlderOneArrivingLateDoesNot()
    {
        using var connection = SocketPair.Unstarted(100, "c_1");

        connection.ApplyMetadata(new ClientMetadataChange("c_1", new() { ["team"] = "red" }, 2));
        connection.ApplyMetadata(new ClientMetadataChange("c_1", new() { ["team"] = "blue" }, 3));
        connection.ApplyMetadata(new ClientMetadataChange("c_1", new() { ["team"] = "stale" }, 2));

        Assert.Equal("blue", connection.Metadata["team"]);
    }
}
