using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Members;

public enum MemberExportStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// A CSV export of the member list under one filter, written by a background job into the merchant's folder; its row
/// is the progress the page polls and the key to the file (only the same merchant finds it).
/// </summary>
public sealed class MemberExport : IMerchantOwned, INotAudited
{
    public const int MaxSearchLength = 100;
    public const int MaxByLength = 256;

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public string? Search { get; private set; }
    public Guid? PlanId { get; private set; }
    public Guid? TierId { get; private set; }
    public MembershipStatus? MembershipStatus { get; private set; }
    public MemberExportStatus Status { get; private set; }
    /// <summary>How many rows the filter had when the export started (at least, for a wide search).</summary>
    public long Expected { get; private set; }
    public long Written { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    private MemberExport() { }

    public static MemberExport Request(Guid merchantId, string? search, Guid? planId, Guid? tierId, MembershipStatus? status, long expected,
        string by, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        MerchantId = merchantId,
        Search = string.IsNullOrWhiteSpace(search) ? null : TextLength.Clip(search.Trim(), MaxSearchLength),
        PlanId = planId,
        TierId = tierId,
        MembershipStatus = status,
        Expected = expected,
        RequestedBy = by.Length > MaxByLength ? by[..MaxByLength] : by,
        RequestedAt = now,
        Status = MemberExportStatus.Queued,
    };

    /// <summary>Starts again from nothing (a retried job rewrites the whole file).</summary>
    public void Start()
    {
        Status = MemberExportStatus.Running;
        Written = 0;
    }

    public void Progress(long written) => Written = written;

    public void Complete(long written, DateTimeOffset now)
    {
        Status = MemberExportStatus.Completed;
        Written = written;
        CompletedAt = now;
    }

    public void Fail(DateTimeOffset now)
    {
        Status = MemberExportStatus.Failed;
        CompletedAt = now;
    }
}
