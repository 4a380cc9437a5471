namespace BioLang.Runtime.Engine;

/// <summary>An append-only buffer that hands out its contents as a span, without List's per-item overhead.</summary>
internal sealed class Growable<T>(int capacity = 16)
{
    private T[] _items = new T[Math.Max(1, capacity)];

    public int Count { get; private set; }

    public void Add(T item)
    {
        if (Count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = item;
    }

    public void AddRange(ReadOnlySpan<T> items)
    {
        if (Count + items.Length > _items.Length)
            Array.Resize(ref _items, Math.Max(_items.Length * 2, Count + items.Length));
        items.CopyTo(_items.AsSpan(Count));
        Count += items.Length;
    }

    public void Clear() => Count = 0;

    public T[] Buffer => _items;

    public ReadOnlySpan<T> Span => _items.AsSpan(0, Count);

    public T[] ToArray() => _items.AsSpan(0, Count).ToArray();
}
