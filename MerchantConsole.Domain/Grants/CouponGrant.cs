using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Grants;

public enum GrantStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

public enum GrantTargetKind
{
    /// <summary>Every active member of one tier of a plan.</summary>
    Tier,
    /// <summary>The members named by the rows of an uploaded CSV (card number, phone or external reference), within a plan.</summary>
    Csv,
}

/// <summary>
/// A manual grant (发券): one coupon of a coupon activity to each member of a target, run by a job in batches.
/// Queued → Running → Completed | Failed. The job saves its cursor and totals with each batch, in the same
/// transaction as the batch's coupons, so a rerun continues where the last commit ended (ARCHITECTURE.md,
/// "Grants and bulk issuance"). Progress is figures, not changes: one audit entry is written per grant instead.
/// </summary>
public sealed class CouponGrant : IMerchantOwned, INotAudited
{
    public const int MaxFileNameLength = 200;
    public const int ErrorMaxLength = 1000;

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid ActivityId { get; private set; }
    public Guid CouponActivityId { get; private set; }
    public Guid PlanId { get; private set; }
    public GrantTargetKind TargetKind { get; private set; }
    /// <summary>The tier of a <see cref="GrantTargetKind.Tier"/> grant.</summary>
    public Guid? TierId { get; private set; }
    public string? FileName { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public GrantStatus Status { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>A running job holds the grant until then; a grant Running past it was left by a dead process.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public int Targeted { get; private set; }
    public int Issued { get; private set; }
    public int AlreadyHad { get; private set; }
    public int Refused { get; private set; }
    /// <summary>Keyset cursor of a tier grant: the last membership id done.</summary>
    public Guid? LastMembershipId { get; private set; }
    /// <summary>Cursor of a CSV grant: the last row number done.</summary>
    public int LastRow { get; private set; }
    public string? LastError { get; private set; }

    public int Done => Issued + AlreadyHad + Refused;
    public int Percent => Targeted == 0 ? (Status == GrantStatus.Completed ? 100 : 0) : Math.Min(100, (int)(Done * 100L / Targeted));
    public bool IsFinished => Status is GrantStatus.Completed or GrantStatus.Failed;

    private CouponGrant() { }

    public static CouponGrant ToTier(Guid merchantId, Guid activityId, Guid couponActivityId, Guid planId, Guid tierId, int targeted, string by, DateTimeOffset now) =>
        New(merchantId, activityId, couponActivityId, planId, GrantTargetKind.Tier, tierId, null, targeted, by, now);

    public static CouponGrant ToCsv(Guid merchantId, Guid activityId, Guid couponActivityId, Guid planId, string fileName, int rows, string by, DateTimeOffset now) =>
        New(merchantId, activityId, couponActivityId, planId, GrantTargetKind.Csv, null, TextLength.Clip(fileName ?? "", MaxFileNameLength), rows, by, now);

    private static CouponGrant New(Guid merchantId, Guid activityId, Guid couponActivityId, Guid planId, GrantTargetKind kind, Guid? tierId, string? fileName,
        int targeted, string by, DateTimeOffset now)
    {
        if (targeted <= 0)
            throw new DomainException("Grant.NoTargets", "Nobody would receive a coupon: the target has no members.");
        if (string.IsNullOrWhiteSpace(by))
            throw new DomainException("Grant.ActorRequired", "A grant records who asked for it.");
        return new CouponGrant
        {
            Id = Guid.NewGuid(),
            MerchantId = merchantId,
            ActivityId = activityId,
            CouponActivityId = couponActivityId,
            PlanId = planId,
            TargetKind = kind,
            TierId = tierId,
            FileName = fileName,
            RequestedBy = by,
            RequestedAt = now,
            Status = GrantStatus.Queued,
            Targeted = targeted,
        };
    }

    /// <summary>Records one batch: its figures and where the next one starts.</summary>
    public void RecordBatch(int issued, int alreadyHad, int refused, Guid? lastMembershipId, int lastRow, DateTimeOffset leaseUntil)
    {
        if (Status != GrantStatus.Running)
            throw new DomainException("Grant.NotRunning", "This grant is not running.");
        Issued += issued;
        AlreadyHad += alreadyHad;
        Refused += refused;
        LastMembershipId = lastMembershipId ?? LastMembershipId;
        LastRow = Math.Max(LastRow, lastRow);
        LeaseUntil = leaseUntil;
    }

    public void Complete(DateTimeOffset now)
    {
        Status = GrantStatus.Completed;
        FinishedAt = now;
        LeaseUntil = null;
        // A tier that changed while the grant ran: the figure says whom it reached.
        Targeted = Done;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        Status = GrantStatus.Failed;
        FinishedAt = now;
        LeaseUntil = null;
        LastError = TextLength.Clip(error ?? "", ErrorMaxLength);
    }
}

/// <summary>One row of a CSV grant's file, kept so a resumed job reads the same rows.</summary>
public sealed class CouponGrantRow : IMerchantOwned, INotAudited
{
    public const int MaxReferenceLength = 64;

    public Guid MerchantId { get; private set; }
    public Guid GrantId { get; private set; }
    /// <summary>The row number in the file (the header, if any, is row 1).</summary>
    public int Row { get; private set; }
    public string Reference { get; private set; } = "";

    private CouponGrantRow() { }

    public static CouponGrantRow Of(Guid merchantId, Guid grantId, int row, string reference) =>
        new() { MerchantId = merchantId, GrantId = grantId, Row = row, Reference = TextLength.Clip(reference ?? "", MaxReferenceLength) };
}

/// <summary>A target the grant gave no coupon, and why: a line of the downloadable error report.</summary>
public sealed class CouponGrantRefusal : IMerchantOwned, INotAudited
{
    public long Id { get; private set; }
    public Guid MerchantId { get; private set; }
    public Guid GrantId { get; private set; }
    /// <summary>The CSV row; for a tier grant, the order in which the member was reached.</summary>
    public int Row { get; private set; }
    public string Reference { get; private set; } = "";
    public string Code { get; private set; } = "";
    public string EnglishText { get; private set; } = "";
    /// <summary>The refusal's arguments as text (JSON object), so the report can be worded in the reader's language.</summary>
    public string Arguments { get; private set; } = "{}";

    private CouponGrantRefusal() { }

    public static CouponGrantRefusal Of(Guid merchantId, Guid grantId, int row, string reference, string code, string englishText, string arguments) =>
        new()
        {
            MerchantId = merchantId, GrantId = grantId, Row = row, Reference = TextLength.Clip(reference ?? "", CouponGrantRow.MaxReferenceLength),
            Code = code, EnglishText = englishText, Arguments = arguments,
        };
}
