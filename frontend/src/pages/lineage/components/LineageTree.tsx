import { useMemo } from 'react';
import { Space, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useI18n } from '../../../locales';
import type { LineageNode } from '../../../services/receivables';
import { Money } from '../../../components/Money';
import { PieceStatus } from '../../../components/PieceStatus';
import { TxHash } from '../../../components/TxHash';

/** Build the tree from the flat node list (parent_id 0 or unknown parent: a root). */
export function buildTree(nodes: LineageNode[]): { roots: LineageNode[]; children: Map<number, LineageNode[]> } {
  const ids = new Set(nodes.map((n) => n.token_id));
  const children = new Map<number, LineageNode[]>();
  const roots: LineageNode[] = [];
  for (const node of nodes) {
    if (!node.parent_id || !ids.has(node.parent_id) || node.parent_id === node.token_id) roots.push(node);
    else children.set(node.parent_id, [...(children.get(node.parent_id) ?? []), node]);
  }
  return { roots, children };
}

export function LineageTree({ nodes, highlight }: { nodes: LineageNode[]; highlight?: number }) {
  const { t } = useI18n();
  const data = useMemo(() => {
    const { roots, children } = buildTree(nodes);
    const toData = (node: LineageNode): DataNode => ({
      key: node.token_id,
      title: (
        <Space size={8} wrap className="scf-lineage-node" data-token={node.token_id}>
          <Typography.Text strong={node.token_id === highlight} mark={node.token_id === highlight}>#{node.token_id}</Typography.Text>
          <Typography.Text>{node.holder.name ?? node.holder.address}</Typography.Text>
          <Money fen={node.balance_fen} />
          <PieceStatus status={node.status} frozen={node.frozen} />
          {node.created_tx_hash ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('ops.txHash')} <TxHash value={node.created_tx_hash} /></Typography.Text> : null}
        </Space>
      ),
      children: (children.get(node.token_id) ?? []).map(toData),
    });
    return roots.map(toData);
  }, [nodes, highlight, t]);
  return <Tree treeData={data} defaultExpandAll showLine selectable={false} blockNode data-testid="lineage-tree" />;
}
