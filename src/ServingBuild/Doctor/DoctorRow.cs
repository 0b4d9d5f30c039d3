namespace ServingBuild.Doctor;

/// <summary>One line of Doctor's table; a finding makes Doctor exit with <see cref="ExitCodes.DoctorFindings"/>.</summary>
public sealed record DoctorRow(string Item, string Status, string Detail, bool IsFinding = false);
