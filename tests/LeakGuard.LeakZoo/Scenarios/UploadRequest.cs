namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>An upload request with its buffered body (about 16 KiB).</summary>
internal sealed class UploadRequest
{
    private Payload16K _body;

    public UploadRequest(long id)
    {
        Id = $"upload-{id}";
        _body[0] = (byte)id;
    }

    public string Id { get; }

    public int Checksum => _body[0];
}
