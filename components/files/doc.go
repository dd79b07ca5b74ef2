// Package files builds the Files component (tierstack:index:Files): shared files every server of
// the web tier sees, on an encrypted Amazon EFS file system with a mount target in every zone's
// private subnet, reached over TLS with IAM authorization through one access point.
//
// Sources: Amazon EFS User Guide ("Encrypting data at rest", "Creating mount targets", "Working
// with access points", "Using IAM to control file system data access", "Encrypting data in
// transit", "Managing storage lifecycle", "Automatic backups"); pulumi-aws efs.FileSystem,
// efs.MountTarget, efs.AccessPoint, efs.BackupPolicy, efs.FileSystemPolicy; terraform-provider-aws
// internal/service/efs (file_system.go: creation_token, encrypted, kms_key_id, performance_mode
// and availability_zone_name force a new file system; access_point.go: posix_user and
// root_directory force a new access point).
package files
