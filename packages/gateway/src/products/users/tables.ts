/** The user authentication table (migration `0022_registration_users`, `users-migration.ts`), as Kysely sees it. */
import type { IntColumn, NullableIntColumn } from '../../store/columns.js';

/** One OTP authentication of a wallet user (users/initAuthentication), checked by users/verifyAuthentication. */
export interface UserAuthenticationsTable {
  authentication_id: string;
  client_id: string;
  authentication_request_id: string;
  channel: 'EMAIL' | 'SMS';
  /** The wallet user the access token named. */
  user_id: string;
  /** `salt$digest` of the OTP (payments' `otpDigest`), never the OTP. */
  otp_hash: string;
  failed_attempts: IntColumn;
  max_attempts: IntColumn;
  expires_at: IntColumn;
  passed_at: NullableIntColumn;
  /** Set by the last allowed wrong OTP: nothing passes after it. */
  locked_at: NullableIntColumn;
  created_at: IntColumn;
}

export interface UserTables {
  user_authentications: UserAuthenticationsTable;
}
