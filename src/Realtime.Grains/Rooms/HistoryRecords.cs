using System.Globalization;
using Orleans.Storage;

namespace Realtime.Grains.Rooms;

/// <summary>
/// A room's history in storage, in segments of <see cref="SegmentSize"/> seqs (record
/// <c>{name}.{k}</c>) under a root record (<c>{name}</c>: epoch, idempotency keys, the segments
/// there are). A flush writes only the segments that gained pushes since the last one, the root
/// only when its keys or its list of segments changed, and clears the segments the history has
/// moved past: what a flush costs follows what changed, not how much the room keeps.
/// </summary>
internal sealed class HistoryRecords(IGrainStorage storage, GrainId grainId, string name)
{
    public const int SegmentSize = 64;

    private readonly GrainState<RoomHistoryState> _root = new(new RoomHistoryState());
    private readonly Dictionary<long, GrainState<RoomHistorySegment>> _segments = [];

    /// <summary>The newest seq in storage: later ones make their segment dirty.</summary>
    private long _flushedSeq;

    private bool _rootDirty;

    /// <summary>Whether anything of the history is in storage.</summary>
    public bool Exists => _root.RecordExists || _segments.Values.Any(s => s.RecordExists);

    /// <summary>The idempotency keys changed: the next write writes the root.</summary>
    public void KeysChanged() => _rootDirty = true;

    /// <summary>Reads the history of <paramref name="epoch"/> (none when storage holds another's), oldest first.</summary>
    public async Task<(List<RoomHistoryEntry> Entries, List<IdempotencyRecord> Keys)> LoadAsync(string epoch)
    {
        await storage.ReadStateAsync(name, grainId, _root);
        var root = Root;
        var segments = await Task.WhenAll(root.Segments.Select(async number =>
        {
            var segment = Segment(number);
            await storage.ReadStateAsync(SegmentName(number), grainId, segment);
            segment.State ??= new RoomHistorySegment();
            return segment.State;
        }));
        if (root.Epoch != epoch)
        {
            _rootDirty = true;
            return ([], []);
        }

        var entries = new List<RoomHistoryEntry>(root.Entries);
        foreach (var segment in segments)
        {
            if (segment.Epoch == epoch)
            {
                entries.AddRange(segment.Entries);
            }
        }

        entries.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));

        // A history written whole (before segments) is written again as segments at the next flush.
        _rootDirty |= root.Entries.Count > 0;
        _flushedSeq = root.Entries.Count > 0 || entries.Count == 0 ? 0 : entries[^1].Seq;
        return (entries, root.Keys);
    }

    /// <summary>Writes what changed since the last write; throws when storage refuses (the next write tries again).</summary>
    public async Task WriteAsync(string epoch, RoomHistory history, RoomIdempotency keys)
    {
        var newEpoch = Root.Epoch != epoch;
        var needed = new SortedSet<long>();
        var dirty = new SortedSet<long>();
        var last = 0L;
        foreach (var entry in history.Entries)
        {
            var number = entry.Seq / SegmentSize;
            needed.Add(number);
            if (newEpoch || entry.Seq > _flushedSeq)
            {
                dirty.Add(number);
            }

            last = entry.Seq;
        }

        await Task.WhenAll(dirty.Select(number => WriteSegment(number, epoch, history)));
        if (_rootDirty || newEpoch || !Root.Segments.SequenceEqual(needed))
        {
            var root = Root;
            root.Epoch = epoch;
            root.Entries = [];
            root.Keys = keys.ToList();
            root.Segments = [.. needed];
            await storage.WriteStateAsync(name, grainId, _root);
            _rootDirty = false;
        }

        _flushedSeq = last;
        foreach (var number in _segments.Keys.Where(n => !needed.Contains(n)).ToList())
        {
            if (_segments[number].RecordExists)
            {
                await storage.ClearStateAsync(SegmentName(number), grainId, _segments[number]);
            }

            _segments.Remove(number);
        }
    }

    /// <summary>Clears every record of the history.</summary>
    public async Task ClearAsync()
    {
        foreach (var (number, segment) in _segments.Where(s => s.Value.RecordExists).ToList())
        {
            await storage.ClearStateAsync(SegmentName(number), grainId, segment);
        }

        _segments.Clear();
        if (_root.RecordExists)
        {
            await storage.ClearStateAsync(name, grainId, _root);
        }

        _root.State = new RoomHistoryState();
        _flushedSeq = 0;
    }

    private async Task WriteSegment(long number, string epoch, RoomHistory history)
    {
        var low = number * SegmentSize;
        var segment = Segment(number);
        segment.State = new RoomHistorySegment { Epoch = epoch, Entries = [.. history.Entries.Where(e => e.Seq >= low && e.Seq < low + SegmentSize)] };
        try
        {
            await storage.WriteStateAsync(SegmentName(number), grainId, segment);
        }
        catch (InconsistentStateException)
        {
            // A segment an earlier activation wrote and never listed (it stopped between the segment and
            // the root): take its version and write over it.
            var current = new GrainState<RoomHistorySegment>(new RoomHistorySegment());
            await storage.ReadStateAsync(SegmentName(number), grainId, current);
            segment.ETag = current.ETag;
            await storage.WriteStateAsync(SegmentName(number), grainId, segment);
        }
    }

    private RoomHistoryState Root => _root.State ??= new RoomHistoryState();

    private GrainState<RoomHistorySegment> Segment(long number)
    {
        if (!_segments.TryGetValue(number, out var segment))
        {
            _segments[number] = segment = new GrainState<RoomHistorySegment>(new RoomHistorySegment());
        }

        return segment;
    }

    private string SegmentName(long number) => string.Create(CultureInfo.InvariantCulture, $"{name}.{number}");
}
