namespace Realtime.Grains;

/// <summary>The grain storage every realtime grain writes to; the host registers it (memory or Redis).</summary>
public static class RealtimeStorage
{
    /// <summary>The grain storage name.</summary>
    public const string Name = "realtime";
}
