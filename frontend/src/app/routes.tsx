import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  IdcardOutlined, ApartmentOutlined, AuditOutlined, BankOutlined, BellOutlined, CalendarOutlined,
  CheckSquareOutlined, ClusterOutlined, ContactsOutlined, CreditCardOutlined, DashboardOutlined, FileAddOutlined,
  FileDoneOutlined, FileSearchOutlined, FundOutlined, HeartOutlined, HomeOutlined, InboxOutlined,
  LinkOutlined, LockOutlined, NotificationOutlined, PieChartOutlined, SafetyCertificateOutlined,
  SolutionOutlined, TeamOutlined, WalletOutlined,
} from '@ant-design/icons';
import type { AccessKey } from '../access';
import type { MessageKey } from '../locales';

export interface AppRoute {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown and reachable only when this access flag is true (absent: every signed-in user). */
  access?: AccessKey;
  page: LazyExoticComponent<ComponentType>;
  hideInMenu?: boolean;
}

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const ROUTES: AppRoute[] = [
  { path: '/', label: 'menu.home', icon: <HomeOutlined />, page: page(() => import('../pages/home')) },
  // platform operator
  { path: '/kyc/review', label: 'menu.kycQueue', icon: <SafetyCertificateOutlined />, access: 'canSeeKycQueue', page: page(() => import('../pages/kyc-review')) },
  { path: '/members', label: 'menu.members', icon: <TeamOutlined />, access: 'readsAll', page: page(() => import('../pages/members')) },
  { path: '/health', label: 'menu.health', icon: <HeartOutlined />, access: 'canSeeHealth', page: page(() => import('../pages/health')) },
  // regulator
  { path: '/dashboard', label: 'menu.dashboard', icon: <DashboardOutlined />, access: 'canSeeDashboard', page: page(() => import('../pages/dashboard')) },
  { path: '/trace', label: 'menu.trace', icon: <FileSearchOutlined />, access: 'canTrace', page: page(() => import('../pages/trace')) },
  { path: '/freeze', label: 'menu.freeze', icon: <LockOutlined />, access: 'canFreeze', page: page(() => import('../pages/freeze')) },
  // core enterprise
  { path: '/credit-lines', label: 'menu.creditLines', icon: <CreditCardOutlined />, access: 'canSeeCreditLines', page: page(() => import('../pages/credit-lines')) },
  { path: '/vouchers/issue', label: 'menu.issue', icon: <FileAddOutlined />, access: 'canSeeIssuedVouchers', page: page(() => import('../pages/voucher-issue')) },
  { path: '/vouchers/issued', label: 'menu.vouchersIssued', icon: <FileDoneOutlined />, access: 'canSeeIssuedVouchers', page: page(() => import('../pages/vouchers-issued')) },
  { path: '/debtor-notices', label: 'menu.debtorNotices', icon: <NotificationOutlined />, access: 'canSeeDebtorNotices', page: page(() => import('../pages/debtor-notices')) },
  { path: '/maturity', label: 'menu.maturity', icon: <CalendarOutlined />, access: 'canSeeIssuedVouchers', page: page(() => import('../pages/maturity')) },
  // supplier
  { path: '/vouchers/incoming', label: 'menu.incoming', icon: <InboxOutlined />, access: 'isSupplier', page: page(() => import('../pages/vouchers-incoming')) },
  { path: '/holdings', label: 'menu.holdings', icon: <WalletOutlined />, access: 'canSeeHoldings', page: page(() => import('../pages/holdings')) },
  { path: '/financing', label: 'menu.financing', icon: <FundOutlined />, access: 'canSeeFinancing', page: page(() => import('../pages/financing')) },
  // bank
  { path: '/bank/applications', label: 'menu.bankQueue', icon: <SolutionOutlined />, access: 'canSeeBankQueue', page: page(() => import('../pages/bank-queue')) },
  { path: '/bank/applications/:id', label: 'menu.bankQueue', icon: <SolutionOutlined />, access: 'canSeeBankQueue', hideInMenu: true, page: page(() => import('../pages/bank-review')) },
  { path: '/bank/portfolio', label: 'menu.portfolio', icon: <PieChartOutlined />, access: 'canSeePortfolio', page: page(() => import('../pages/bank-portfolio')) },
  { path: '/bank/credit-lines', label: 'menu.creditLinesGranted', icon: <BankOutlined />, access: 'canSeeBankCreditLines', page: page(() => import('../pages/bank-credit-lines')) },
  // everyone
  { path: '/lineage', label: 'menu.lineage', icon: <ApartmentOutlined />, access: 'canSeeLineage', page: page(() => import('../pages/lineage')) },
  { path: '/lineage/:tokenId', label: 'menu.lineage', icon: <ApartmentOutlined />, access: 'canSeeLineage', hideInMenu: true, page: page(() => import('../pages/lineage')) },
  { path: '/approvals', label: 'menu.approvals', icon: <CheckSquareOutlined />, access: 'canSeeApprovals', page: page(() => import('../pages/approvals')) },
  { path: '/operations', label: 'menu.operations', icon: <LinkOutlined />, page: page(() => import('../pages/operations')) },
  { path: '/notifications', label: 'menu.notifications', icon: <BellOutlined />, page: page(() => import('../pages/notifications')) },
  { path: '/audit', label: 'menu.audit', icon: <AuditOutlined />, access: 'canSeeAudit', page: page(() => import('../pages/audit')) },
  { path: '/kyc', label: 'menu.myKyc', icon: <ClusterOutlined />, access: 'canPrepareKyc', page: page(() => import('../pages/kyc')) },
  { path: '/directory', label: 'menu.directory', icon: <ContactsOutlined />, page: page(() => import('../pages/directory')) },
  { path: '/organisation', label: 'menu.organisation', icon: <IdcardOutlined />, page: page(() => import('../pages/organisation')) },
];
