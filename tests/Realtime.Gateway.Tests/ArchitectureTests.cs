using System.Text.RegularExpressions;
using Realtime.Gateway.Cluster;

namespace Realtime.Gateway.Tests;

/// <summary>
/// The code's shape: the gateway never depends on the grains, only its cluster seam touches Orleans'
/// client API, and the protocol's assembly alone writes frames (that it depends on nothing is in
/// <c>ProtocolRulesTests</c>).
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string s_gatewaySource = Path.Combine(RepoPaths.Root, "src", "Realtime.Gateway");

    [Fact]
    public void GatewayAssemblyDoesNotReferenceTheGrains()
    {
        var references = typeof(IGatewayCluster).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        var project = File.ReadAllText(Path.Combine(s_gatewaySource, "Realtime.Gateway.csproj"));

        Assert.DoesNotContain("Realtime.Grains", references);
        Assert.DoesNotContain("Realtime.Grains", project, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheClusterFolderTouchesGrainsOrStreams()
    {
        var offenders = Directory.EnumerateFiles(s_gatewaySource, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Cluster{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => ClusterApi().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(s_gatewaySource, f))
            .ToList();

        Assert.True(offenders.Count == 0, "Outside Cluster/, these gateway files use Orleans' client API: " + string.Join(", ", offenders));
    }

    [Fact]
    public void OnlyTheProtocolAssemblyWritesFrames()
    {
        var source = Path.Combine(RepoPaths.Root, "src");
        var protocol = Path.Combine(source, "Realtime.Protocol") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(protocol, StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => FrameWriting().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(source, f))
            .ToList();

        Assert.True(offenders.Count == 0, "Outside Realtime.Protocol, these files write JSON frames themselves: " + string.Join(", ", offenders));
    }

    [GeneratedRegex(@"\b(Utf8JsonWriter|RealtimeJson\.Write)\b")]
    private static partial Regex FrameWriting();

    [GeneratedRegex(@"\b(IGrainFactory|IClusterClient|GetStreamProvider|IAsyncStream|StreamSubscriptionHandle|Get\w*Grain\w*\()")]
    private static partial Regex ClusterApi();
}
