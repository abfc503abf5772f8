using Realtime.Api;

namespace Realtime.Gateway.Tests;

/// <summary>An application grain that pushes through <see cref="IRealtime"/>, as any grain of an application would.</summary>
[Alias("tests.ITestNotifierGrain")]
public interface ITestNotifierGrain : IGrainWithIntegerKey
{
    [Alias("Notify")]
    Task Notify(string clientId, string text);
}

public sealed class TestNotifierGrain(IRealtime realtime) : Grain, ITestNotifierGrain
{
    public Task Notify(string clientId, string text) => realtime.SendToClientAsync(clientId, "facade", "grain", new { text });
}
