namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>A rendered HTTP response kept "for performance" (about 4 KiB each).</summary>
internal sealed class CachedResponse
{
    private Payload4K _body;

    public CachedResponse(string key, long sequence)
    {
        Key = key;
        StatusCode = 200;
        _body[0] = (byte)sequence;
        _body[4095] = (byte)(sequence >> 8);
    }

    public string Key { get; }

    public int StatusCode { get; }

    public byte FirstByte => _body[0];
}
