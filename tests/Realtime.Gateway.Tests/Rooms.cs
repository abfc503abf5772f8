namespace Realtime.Gateway.Tests;

/// <summary>Unique room names, so tests sharing a gateway never meet.</summary>
public static class Rooms
{
    public static string Unique(string category = "room") => $"{category}:{Guid.NewGuid():N}";
}
